# awsenv shell integration for bash. Load it from ~/.bashrc with:
#   eval "$(awsenv init bash)"

__awsenv_bin=__AWSENV_BIN__

# `awsenv use` and `awsenv unset` change this shell; every other command runs as it is. Inside a
# command substitution (`eval "$(awsenv use prod)"`) they print the code instead, as the binary
# does, so both forms work. After `awsenv login` or `awsenv clear` the next prompt tries a renewal
# at once.
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
            if ((BASH_SUBSHELL > 0)); then
                command "${__awsenv_bin}" "$1" --shell bash "${@:2}"
                return
            fi
            __awsenv_out="$(command "${__awsenv_bin}" "$1" --shell bash "${@:2}")" || return
            eval "${__awsenv_out}"
            __awsenv_prompt_update
            ;;
        login)
            command "${__awsenv_bin}" "$@" || return
            __awsenv_retry_at=0
            ;;
        clear)
            # What this shell holds may be what was forgotten: the next prompt renews it.
            command "${__awsenv_bin}" "$@" || return
            if [[ -n "${AWSENV_EXPIRES_AT-}" ]]; then
                AWSENV_EXPIRES_AT=0
            fi
            __awsenv_retry_at=0
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

# AWSENV_PROMPT holds what `awsenv prompt` prints ("prod 42m", "prod → Admin 42m" for a role on
# the fly), kept up to date for PS1.
__awsenv_prompt_update() {
    AWSENV_PROMPT=
    [[ -n "${AWSENV_PROFILE-}" ]] || return 0
    local shown=${AWSENV_SHOWN:-${AWSENV_PROFILE}}
    AWSENV_PROMPT=${shown}
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
        printf -v AWSENV_PROMPT '%s %dh%02dm' "${shown}" $((left / 3600)) $((left % 3600 / 60))
    fi
}

# In the window, `awsenv use --hook` takes new credentials. A renewal that fails (the network is
# down, a code is needed) is tried again after AWSENV_RETRY_AFTER (30 s), then twice as long each
# time up to 10 minutes, until it works: its error shows once per outage, and the end of the
# outage is announced; once the credentials have expired, it is tried at least every minute. New
# credentials (a renewal, an explicit `awsenv use`) start afresh.
__awsenv_renew() {
    local key="${AWSENV_PROFILE}:${AWSENV_EXPIRES_AT}" base=${AWSENV_RETRY_AFTER-30} out
    __awsenv_digits "${base}" || base=30
    if [[ "${__awsenv_key-}" != "${key}" ]]; then
        __awsenv_key=${key}
        __awsenv_retry_at=0
        __awsenv_backoff=${base}
    fi
    __awsenv_digits "${__awsenv_retry_at-}" || __awsenv_retry_at=0
    __awsenv_digits "${__awsenv_backoff-}" || __awsenv_backoff=${base}
    # Once the credentials have expired, a try at least every minute, whatever the backoff.
    if ((AWSENV_EXPIRES_AT <= __awsenv_time && __awsenv_retry_at > __awsenv_time + 60)); then
        __awsenv_retry_at=$((__awsenv_time + 60))
    fi
    ((__awsenv_time >= __awsenv_retry_at)) || return 0
    __awsenv_retry_at=$((__awsenv_time + __awsenv_backoff))
    if [[ -n "${__awsenv_failing-}" ]]; then
        out="$(command "${__awsenv_bin}" use --shell bash --hook -- "${AWSENV_PROFILE}" 2>/dev/null)"
    else
        out="$(command "${__awsenv_bin}" use --shell bash --hook -- "${AWSENV_PROFILE}")"
    fi
    # shellcheck disable=SC2181 # the status of the assignment above, whichever branch ran
    if (($? == 0)); then
        eval "${out}"
        if [[ -n "${__awsenv_failing-}" ]]; then
            printf 'awsenv: renewed profile %s again\n' "${AWSENV_PROFILE}" >&2
        fi
        __awsenv_failing=
        __awsenv_backoff=${base}
    else
        __awsenv_failing=1
        __awsenv_backoff=$((__awsenv_backoff * 2 > 600 ? 600 : __awsenv_backoff * 2))
    fi
}

# On each prompt: nothing to do while the credentials are fresh (no process is started). Within
# AWSENV_REFRESH_AHEAD (20 min) of expiry, one background `awsenv refresh` renews the shared
# cache (once per expiry); within AWSENV_REFRESH_BEFORE (10 min), `__awsenv_renew` above.
__awsenv_hook() {
    local __awsenv_status=$?
    if [[ -n "${AWSENV_PROFILE-}" ]] && __awsenv_digits "${AWSENV_EXPIRES_AT-}"; then
        local before=${AWSENV_REFRESH_BEFORE-600} ahead=${AWSENV_REFRESH_AHEAD-1200}
        __awsenv_digits "${before}" || before=600
        __awsenv_digits "${ahead}" || ahead=1200
        __awsenv_now
        local left=$((AWSENV_EXPIRES_AT - __awsenv_time))
        if ((left < before)); then
            __awsenv_renew
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

# Tab completion: subcommands, their options, profile names read live from the config files, and
# after `exec PROFILE --` the command and then that command's own completion. Completion is best
# effort: a failing lister just offers nothing.
# shellcheck disable=SC2312
__awsenv_complete() {
    local cur=${COMP_WORDS[COMP_CWORD]-} i
    COMPREPLY=()
    if [[ "${COMP_WORDS[1]-}" == exec ]]; then
        for ((i = 2; i < COMP_CWORD; i++)); do
            [[ "${COMP_WORDS[i]}" == -- ]] || continue
            if declare -F _command_offset >/dev/null; then
                # bash-completion's own: the command, then whatever completes its arguments.
                _command_offset $((i + 1))
            elif ((COMP_CWORD == i + 1)); then
                mapfile -t COMPREPLY < <(compgen -c -- "${cur}")
            else
                mapfile -t COMPREPLY < <(compgen -f -- "${cur}")
            fi
            return
        done
    fi
    if ((COMP_CWORD > 1)) && [[ "${cur}" == -* ]]; then
        mapfile -t COMPREPLY < <(command "${__awsenv_bin}" __complete "options-${COMP_WORDS[1]}" "${cur}" 2>/dev/null)
    elif ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "use unset clear list explain exec whoami console login logout credential-process write-credentials prompt refresh init lint doctor serve sso keys" -- "${cur}")
    elif [[ "${COMP_WORDS[COMP_CWORD - 1]}" == --sso-session ]]; then
        mapfile -t COMPREPLY < <(command "${__awsenv_bin}" __complete sso-sessions "${cur}" 2>/dev/null)
    elif ((COMP_CWORD == 2)) && [[ "${cur}" != -* ]]; then
        case "${COMP_WORDS[1]}" in
            use | clear | explain | exec | whoami | console | login | logout | credential-process | write-credentials | refresh | serve)
                mapfile -t COMPREPLY < <(command "${__awsenv_bin}" __complete profiles "${cur}" 2>/dev/null)
                ;;
            *) ;;
        esac
    fi
}
complete -F __awsenv_complete awsenv

# For `awsenv doctor`, read by children: this shell, its PID, the hook's version and binary.
export AWSENV_HOOK="bash:$$:__AWSENV_VERSION__:${__awsenv_bin}"

__awsenv_prompt_update
