# bash completion for psusim (installed by make install into
# $(PREFIX)/share/bash-completion/completions/psusim). The commands are fixed;
# each command's options come from `psusim CMD --help` and the preset names
# from `psusim presets KIND`, both asked at completion time, so they follow
# the installed binary and its database.
_psusim_options()
{
    # the option column of `psusim CMD --help`: "  -s, --set KEY=VALUE", "      --json"
    "$1" "$2" --help 2>/dev/null | sed -n 's/^  \(-[a-zA-Z], \)\{0,1\} *\(--[a-z-]*\).*/\2/p'
}

_psusim_presets()
{
    "$1" presets "$2" 2>/dev/null | awk '{ print $2 }'
}

_psusim()
{
    local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="run check quick init sweep recommend merge presets keys"
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return 0
    fi
    local cmd=${COMP_WORDS[1]}
    case $prev in
    --gpu|--cpu|--psu|--circuit)
        COMPREPLY=($(compgen -W "$(_psusim_presets "$bin" "${prev#--}")" -- "$cur"))
        return 0 ;;
    --plots) COMPREPLY=($(compgen -W "png svg pdf dumb none" -- "$cur")); return 0 ;;
    --timeseries) COMPREPLY=($(compgen -W "full mean none" -- "$cur")); return 0 ;;
    --region)
        COMPREPLY=($(compgen -W "us us-20a us-240v ca de eu uk ie fr it ch se no jp au nz" -- "$cur"))
        return 0 ;;
    --out|-o) COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
    --set|-s|--vary|--runs|--shard|--plot-size|--job|--duration) return 0 ;;
    esac
    if [ "${cur#-}" != "$cur" ]; then
        COMPREPLY=($(compgen -W "$(_psusim_options "$bin" "$cmd")" -- "$cur"))
        return 0
    fi
    case $cmd in
    presets)
        if [ "$COMP_CWORD" -eq 2 ]; then
            COMPREPLY=($(compgen -W "circuit psu gpu cpu load perf ups" -- "$cur"))
        elif [ "$COMP_CWORD" -eq 3 ]; then
            COMPREPLY=($(compgen -W "$(_psusim_presets "$bin" "${COMP_WORDS[2]}")" -- "$cur"))
        fi ;;
    merge) COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur")) ;;
    keys|quick) ;;
    *) COMPREPLY=($(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur")) ;;
    esac
    return 0
}
complete -F _psusim psusim
