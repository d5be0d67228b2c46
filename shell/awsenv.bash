# awsenv shell integration for bash. Load it from ~/.bashrc with:
#   eval "$(awsenv init bash)"

__awsenv_bin=__AWSENV_BIN__

# `awsenv use` and `awsenv unset` change this shell; every other command runs as it is.
awsenv() {
    local __awsenv_arg __awsenv_out
    case "${1-}" in
        use | unset)
            for __awsenv_arg in "$@"; do
                case "${__awsenv_arg}" in
                    -h | --help | --format | --format=* | --shell | --shell=*)
                        command "${__awsenv_bin}" "$@"
                        return
                        ;;
                    *) ;;
                esac
            done
            __awsenv_out="$(command "${__awsenv_bin}" "$@" --shell bash)" || return
            eval "${__awsenv_out}"
            __awsenv_prompt_update
            ;;
        *) command "${__awsenv_bin}" "$@" ;;
    esac
}

# The time, without forking: bash 5 keeps EPOCHSECONDS, bash 4.2 has printf's %(%s)T.
__awsenv_now() {
    if [[ -n "${EPOCHSECONDS-}" ]]; then
        __awsenv_time=${EPOCHSECONDS}
    else
        printf -v __awsenv_time '%(%s)T' -1
    fi
}

# Whether $1 is a number: the values reach arithmetic, where anything else could run code.
# (A pattern, not a regular expression: this runs at every prompt.)
__awsenv_digits() {
    case "$1" in
        '' | *[!0-9]*) return 1 ;;
        *) return 0 ;;
    esac
}

# AWSENV_PROMPT holds what `awsenv prompt` prints ("prod 42m"), kept up to date for PS1.
__awsenv_prompt_update() {
    AWSENV_PROMPT=
    [[ -n "${AWSENV_PROFILE-}" ]] || return 0
    AWSENV_PROMPT=${AWSENV_PROFILE}
    __awsenv_digits "${AWSENV_EXPIRES_AT-}" || return 0
    __awsenv_now
    local left=$((AWSENV_EXPIRES_AT - __awsenv_time))
    if ((left <= 0)); then
        AWSENV_PROMPT+=" expired"
    elif ((left < 60)); then
        AWSENV_PROMPT+=" ${left}s"
    elif ((left < 3600)); then
        AWSENV_PROMPT+=" $((left / 60))m"
    else
        printf -v AWSENV_PROMPT '%s %dh%02dm' "${AWSENV_PROFILE}" $((left / 3600)) $((left % 3600 / 60))
    fi
}

# On each prompt: nothing to do while the credentials are fresh (no process is started). Within
# AWSENV_REFRESH_AHEAD (20 min) of expiry, one background `awsenv refresh` renews the shared
# cache; within AWSENV_REFRESH_BEFORE (10 min), `awsenv use --hook` takes the new credentials.
# Each is tried once per expiry, so a refresh that needs a person warns once, not every prompt.
__awsenv_hook() {
    local __awsenv_status=$?
    if [[ -n "${AWSENV_PROFILE-}" ]] && __awsenv_digits "${AWSENV_EXPIRES_AT-}"; then
        local before=${AWSENV_REFRESH_BEFORE-600} ahead=${AWSENV_REFRESH_AHEAD-1200} out
        __awsenv_digits "${before}" || before=600
        __awsenv_digits "${ahead}" || ahead=1200
        __awsenv_now
        local left=$((AWSENV_EXPIRES_AT - __awsenv_time))
        if ((left < before)); then
            if [[ "${__awsenv_tried-}" != "${AWSENV_PROFILE}:${AWSENV_EXPIRES_AT}" ]]; then
                __awsenv_tried="${AWSENV_PROFILE}:${AWSENV_EXPIRES_AT}"
                if out="$(command "${__awsenv_bin}" use --shell bash --hook -- "${AWSENV_PROFILE}")"; then
                    eval "${out}"
                fi
            fi
        elif ((left < ahead)) && [[ "${__awsenv_ahead-}" != "${AWSENV_PROFILE}:${AWSENV_EXPIRES_AT}" ]]; then
            __awsenv_ahead="${AWSENV_PROFILE}:${AWSENV_EXPIRES_AT}"
            (command "${__awsenv_bin}" refresh -- "${AWSENV_PROFILE}" </dev/null >/dev/null 2>&1 &)
        fi
    fi
    __awsenv_prompt_update
    return "${__awsenv_status}"
}

# Run first, so that every later prompt command still sees the last command's status.
if [[ ";${PROMPT_COMMAND[*]-};" != *";__awsenv_hook;"* ]]; then
    if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
        PROMPT_COMMAND=(__awsenv_hook "${PROMPT_COMMAND[@]}")
    else
        # A string here (an array is handled above): bash before 5.1 knows no other kind.
        # shellcheck disable=SC2128,SC2178
        PROMPT_COMMAND="__awsenv_hook${PROMPT_COMMAND:+;${PROMPT_COMMAND}}"
    fi
fi

# Tab completion: subcommands, and profile names read live from the config files.
__awsenv_complete() {
    local cur=${COMP_WORDS[COMP_CWORD]-}
    COMPREPLY=()
    # Completion is best effort: a failing lister just offers nothing.
    # shellcheck disable=SC2312
    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "use unset list explain exec whoami console login logout credential-process prompt refresh init" -- "${cur}")
    elif [[ "${COMP_WORDS[COMP_CWORD - 1]}" == --sso-session ]]; then
        mapfile -t COMPREPLY < <(command "${__awsenv_bin}" __complete sso-sessions "${cur}" 2>/dev/null)
    elif ((COMP_CWORD == 2)) && [[ "${cur}" != -* ]]; then
        case "${COMP_WORDS[1]}" in
            use | explain | exec | whoami | console | login | logout | credential-process | refresh)
                mapfile -t COMPREPLY < <(command "${__awsenv_bin}" __complete profiles "${cur}" 2>/dev/null)
                ;;
            *) ;;
        esac
    fi
}
complete -F __awsenv_complete awsenv

__awsenv_prompt_update
