# awsenv shell integration for zsh. Load it from ~/.zshrc with:
#   eval "$(awsenv init zsh)"

typeset -g __awsenv_bin=__AWSENV_BIN__
# EPOCHSECONDS: the prompt hook reads the clock without forking.
zmodload zsh/datetime

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
            esac
        done
        if ((ZSH_SUBSHELL > 0)); then
            command "${__awsenv_bin}" "$1" --shell zsh "${@:2}"
            return
        fi
        __awsenv_out="$(command "${__awsenv_bin}" "$1" --shell zsh "${@:2}")" || return
        eval "${__awsenv_out}"
        __awsenv_prompt_update
        ;;
    login)
        command "${__awsenv_bin}" "$@" || return
        typeset -g __awsenv_retry_at=0
        ;;
    clear)
        # What this shell holds may be what was forgotten: the next prompt renews it.
        command "${__awsenv_bin}" "$@" || return
        [[ -z "${AWSENV_EXPIRES_AT-}" ]] || AWSENV_EXPIRES_AT=0
        typeset -g __awsenv_retry_at=0
        ;;
    *) command "${__awsenv_bin}" "$@" ;;
    esac
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
# the fly), kept up to date for PROMPT.
__awsenv_prompt_update() {
    typeset -g AWSENV_PROMPT=
    [[ -n "${AWSENV_PROFILE-}" ]] || return 0
    AWSENV_PROMPT=${AWSENV_SHOWN:-${AWSENV_PROFILE}}
    __awsenv_digits "${AWSENV_EXPIRES_AT-}" || return 0
    local -i left=$((AWSENV_EXPIRES_AT - EPOCHSECONDS))
    if ((left <= 0)); then
        AWSENV_PROMPT+=" expired"
    elif ((left < 60)); then
        AWSENV_PROMPT+=" ${left}s"
    elif ((left < 3600)); then
        AWSENV_PROMPT+=" $((left / 60))m"
    else
        AWSENV_PROMPT+=" $((left / 3600))h${(l:2::0:)$((left % 3600 / 60))}m"
    fi
}

# In the window, `awsenv use --hook` takes new credentials. A renewal that fails (the network is
# down, a code is needed) is tried again after AWSENV_RETRY_AFTER (30 s), then twice as long each
# time up to 10 minutes, until it works: its error shows once per outage, and the end of the
# outage is announced. New credentials (a renewal, an explicit `awsenv use`) start afresh.
__awsenv_renew() {
    local key="${AWSENV_PROFILE}:${AWSENV_EXPIRES_AT}" base=${AWSENV_RETRY_AFTER-30} out
    __awsenv_digits "${base}" || base=30
    if [[ "${__awsenv_key-}" != "${key}" ]]; then
        typeset -g __awsenv_key=${key} __awsenv_retry_at=0 __awsenv_backoff=${base}
    fi
    __awsenv_digits "${__awsenv_retry_at-}" || typeset -g __awsenv_retry_at=0
    __awsenv_digits "${__awsenv_backoff-}" || typeset -g __awsenv_backoff=${base}
    # Once the credentials have expired, a try at least every minute, whatever the backoff.
    if ((AWSENV_EXPIRES_AT <= EPOCHSECONDS && __awsenv_retry_at > EPOCHSECONDS + 60)); then
        typeset -g __awsenv_retry_at=$((EPOCHSECONDS + 60))
    fi
    ((EPOCHSECONDS >= __awsenv_retry_at)) || return 0
    typeset -g __awsenv_retry_at=$((EPOCHSECONDS + __awsenv_backoff))
    if [[ -n "${__awsenv_failing-}" ]]; then
        out="$(command "${__awsenv_bin}" use --shell zsh --hook -- "${AWSENV_PROFILE}" 2>/dev/null)"
    else
        out="$(command "${__awsenv_bin}" use --shell zsh --hook -- "${AWSENV_PROFILE}")"
    fi
    if (($? == 0)); then
        eval "${out}"
        if [[ -n "${__awsenv_failing-}" ]]; then
            print -ru2 -- "awsenv: renewed profile ${AWSENV_PROFILE} again"
        fi
        typeset -g __awsenv_failing= __awsenv_backoff=${base}
    else
        typeset -g __awsenv_failing=1 __awsenv_backoff=$((__awsenv_backoff * 2 > 600 ? 600 : __awsenv_backoff * 2))
    fi
}

# On each prompt: nothing to do while the credentials are fresh (no process is started). Within
# AWSENV_REFRESH_AHEAD (20 min) of expiry, one background `awsenv refresh` renews the shared
# cache (once per expiry); within AWSENV_REFRESH_BEFORE (10 min), `__awsenv_renew` above.
__awsenv_hook() {
    if [[ -n "${AWSENV_PROFILE-}" ]] && __awsenv_digits "${AWSENV_EXPIRES_AT-}"; then
        local before=${AWSENV_REFRESH_BEFORE-600} ahead=${AWSENV_REFRESH_AHEAD-1200}
        __awsenv_digits "${before}" || before=600
        __awsenv_digits "${ahead}" || ahead=1200
        local -i left=$((AWSENV_EXPIRES_AT - EPOCHSECONDS))
        if ((left < before)); then
            __awsenv_renew
        elif ((left < ahead)) && [[ "${__awsenv_ahead-}" != "${AWSENV_PROFILE}:${AWSENV_EXPIRES_AT}" ]]; then
            typeset -g __awsenv_ahead="${AWSENV_PROFILE}:${AWSENV_EXPIRES_AT}"
            (command "${__awsenv_bin}" refresh -- "${AWSENV_PROFILE}" </dev/null >/dev/null 2>&1 &!)
        fi
    fi
    __awsenv_prompt_update
}

autoload -Uz add-zsh-hook
add-zsh-hook precmd __awsenv_hook

# Tab completion: subcommands, their options, profile names (with their kind and region) read live
# from the config files, and after `exec PROFILE --` the command with its own completion.
_awsenv() {
    local i
    if [[ "${words[2]}" == exec ]]; then
        for ((i = 3; i < CURRENT; i++)); do
            if [[ "${words[i]}" == -- ]]; then
                shift ${i} words
                ((CURRENT -= i))
                _normal
                return
            fi
        done
    fi
    if ((CURRENT > 2)) && [[ "${words[CURRENT]}" == -* ]]; then
        compadd -- ${(f)"$(command "${__awsenv_bin}" __complete "options-${words[2]}" "${words[CURRENT]}" 2>/dev/null)"}
    elif [[ "${words[CURRENT-1]}" == --sso-session ]]; then
        compadd -- ${(f)"$(command "${__awsenv_bin}" __complete sso-sessions 2>/dev/null)"}
    elif ((CURRENT == 2)); then
        compadd -- use unset clear list explain exec whoami console login logout credential-process write-credentials prompt refresh init lint doctor serve sso keys
    elif ((CURRENT == 3)) && [[ "${words[2]}" == (use|clear|explain|exec|whoami|console|login|logout|credential-process|write-credentials|refresh|serve) ]]; then
        local -a described
        described=(${(f)"$(command "${__awsenv_bin}" __complete described-profiles 2>/dev/null)"})
        # `name:description`, as _describe takes it (a colon in a name is escaped).
        described=("${(@)${(@)described//:/\\:}/$'\t'/:}")
        _describe -t profiles 'AWS profile' described
    fi
}
# compinit may come before or after this in ~/.zshrc: register now, or at the first prompt; and
# say once when there is no compinit at all, instead of completing nothing in silence.
__awsenv_compdef() {
    add-zsh-hook -d precmd __awsenv_compdef
    if (($+functions[compdef])); then
        compdef _awsenv awsenv
    else
        print -ru2 -- "awsenv: completion needs compinit: add 'autoload -Uz compinit && compinit' to ~/.zshrc"
    fi
}
if (($+functions[compdef])); then
    compdef _awsenv awsenv
else
    add-zsh-hook precmd __awsenv_compdef
fi

# For `awsenv doctor`, read by children: this shell, its PID, the hook's version and binary.
export AWSENV_HOOK="zsh:$$:__AWSENV_VERSION__:${__awsenv_bin}"

__awsenv_prompt_update
