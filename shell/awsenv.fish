# awsenv shell integration for fish. Load it from ~/.config/fish/config.fish with:
#   awsenv init fish | source

set -g __awsenv_bin __AWSENV_BIN__

# `awsenv use` and `awsenv unset` change this shell; every other command runs as it is. Inside a
# command substitution they print the code instead, as the binary does, so both forms work.
# After `awsenv login` or `awsenv clear` the next prompt tries a renewal at once.
function awsenv --description 'AWS CLI profiles in this shell'
    switch "$argv[1]"
        case login
            command $__awsenv_bin $argv; or return
            set -g __awsenv_retry_at 0
        case clear
            # What this shell holds may be what was forgotten: the next prompt renews it.
            command $__awsenv_bin $argv; or return
            set -q AWSENV_EXPIRES_AT; and set -gx AWSENV_EXPIRES_AT 0
            set -g __awsenv_retry_at 0
        case use unset
            for arg in $argv
                switch $arg
                    case -h --help --format '--format=*' --shell '--shell=*'
                        command $__awsenv_bin $argv
                        return
                end
            end
            if status is-command-substitution
                command $__awsenv_bin $argv[1] --shell fish $argv[2..-1]
                return
            end
            set -l out (command $__awsenv_bin $argv[1] --shell fish $argv[2..-1])
            or return
            printf '%s\n' $out | source
            __awsenv_prompt_update
        case '*'
            command $__awsenv_bin $argv
    end
end

# fish has no clock of its own: one `date` per prompt, and only while credentials that expire
# are active.
function __awsenv_left
    set -l now (command date +%s)
    math "$AWSENV_EXPIRES_AT - $now"
end

# AWSENV_PROMPT holds what `awsenv prompt` prints ("prod 42m", "prod → Admin 42m" for a role on
# the fly), kept up to date for the prompt.
function __awsenv_prompt_update --argument-names left
    set -g AWSENV_PROMPT
    set -q AWSENV_PROFILE; and test -n "$AWSENV_PROFILE"; or return 0
    set -l shown $AWSENV_PROFILE
    set -q AWSENV_SHOWN; and test -n "$AWSENV_SHOWN"; and set shown $AWSENV_SHOWN
    set -g AWSENV_PROMPT $shown
    string match -qr '^[0-9]+$' -- "$AWSENV_EXPIRES_AT"; or return 0
    test -n "$left"; or set left (__awsenv_left)
    if test $left -le 0
        set -g AWSENV_PROMPT "$shown expired"
    else if test $left -lt 60
        set -g AWSENV_PROMPT "$shown $left"s
    else if test $left -lt 3600
        set -g AWSENV_PROMPT "$shown "(math --scale 0 "$left / 60")m
    else
        set -g AWSENV_PROMPT (printf '%s %dh%02dm' $shown (math --scale 0 "$left / 3600") (math --scale 0 "$left % 3600 / 60"))
    end
end

# In the window, `awsenv use --hook` takes new credentials. A renewal that fails is tried again
# after AWSENV_RETRY_AFTER (30 s), then twice as long each time up to 10 minutes, until it works:
# its error shows once per outage, and the end of the outage is announced. New credentials (a
# renewal, an explicit `awsenv use`) start afresh.
function __awsenv_renew --argument-names now
    set -l key "$AWSENV_PROFILE:$AWSENV_EXPIRES_AT"
    set -l base 30
    string match -qr '^[0-9]+$' -- "$AWSENV_RETRY_AFTER"; and set base $AWSENV_RETRY_AFTER
    if test "$__awsenv_key" != "$key"
        set -g __awsenv_key $key
        set -g __awsenv_retry_at 0
        set -g __awsenv_backoff $base
    end
    string match -qr '^[0-9]+$' -- "$__awsenv_retry_at"; or set -g __awsenv_retry_at 0
    string match -qr '^[0-9]+$' -- "$__awsenv_backoff"; or set -g __awsenv_backoff $base
    # Once the credentials have expired, a try at least every minute, whatever the backoff.
    if test $AWSENV_EXPIRES_AT -le $now; and test $__awsenv_retry_at -gt (math $now + 60)
        set -g __awsenv_retry_at (math $now + 60)
    end
    test $now -ge $__awsenv_retry_at; or return 0
    set -g __awsenv_retry_at (math $now + $__awsenv_backoff)
    set -l out
    if test -n "$__awsenv_failing"
        set out (command $__awsenv_bin use --shell fish --hook -- $AWSENV_PROFILE 2>/dev/null)
    else
        set out (command $__awsenv_bin use --shell fish --hook -- $AWSENV_PROFILE)
    end
    if test $status -eq 0
        printf '%s\n' $out | source
        test -n "$__awsenv_failing"; and printf 'awsenv: renewed profile %s again\n' $AWSENV_PROFILE >&2
        set -g __awsenv_failing
        set -g __awsenv_backoff $base
    else
        set -g __awsenv_failing 1
        set -g __awsenv_backoff (math "min(600, $__awsenv_backoff * 2)")
    end
end

# On each prompt: within AWSENV_REFRESH_AHEAD (20 min) of expiry, one background
# `awsenv refresh` renews the shared cache (once per expiry); within AWSENV_REFRESH_BEFORE
# (10 min), `__awsenv_renew` above.
function __awsenv_hook --on-event fish_prompt
    set -q AWSENV_PROFILE; and test -n "$AWSENV_PROFILE"; or return 0
    if string match -qr '^[0-9]+$' -- "$AWSENV_EXPIRES_AT"
        set -l before 600
        string match -qr '^[0-9]+$' -- "$AWSENV_REFRESH_BEFORE"; and set before $AWSENV_REFRESH_BEFORE
        set -l ahead 1200
        string match -qr '^[0-9]+$' -- "$AWSENV_REFRESH_AHEAD"; and set ahead $AWSENV_REFRESH_AHEAD
        set -l left (__awsenv_left)
        set -l key "$AWSENV_PROFILE:$AWSENV_EXPIRES_AT"
        if test $left -lt $before
            __awsenv_renew (math "$AWSENV_EXPIRES_AT - $left")
            set left ''
        else if test $left -lt $ahead; and test "$__awsenv_ahead" != "$key"
            set -g __awsenv_ahead $key
            command $__awsenv_bin refresh -- $AWSENV_PROFILE </dev/null >/dev/null 2>&1 &
            disown 2>/dev/null
        end
        __awsenv_prompt_update $left
    else
        __awsenv_prompt_update
    end
end

# Tab completion: subcommands, their options, profile names (fish matches substrings itself, and
# shows each one's kind and region), and after `exec PROFILE --` the command with its own
# completion.
function __awsenv_wants_profile
    set -l words (commandline -opc)
    test (count $words) -eq 2; and contains -- $words[2] use clear explain exec whoami console login logout credential-process write-credentials refresh serve
end
function __awsenv_after_dashdash
    set -l words (commandline -opc)
    test "$words[2]" = exec; and contains -- -- $words
end
function __awsenv_complete_command
    set -l words (commandline -opc)
    set -l i (contains -i -- -- $words)
    set -l rest $words[(math $i + 1)..-1] (commandline -ct)
    complete -C (string join ' ' -- (string escape -- $rest))
end
complete -c awsenv -e
complete -c awsenv -f -n __fish_use_subcommand -a 'use unset clear list explain exec whoami console login logout credential-process write-credentials prompt refresh init lint doctor serve sso keys'
complete -c awsenv -f -n __awsenv_after_dashdash -a '(__awsenv_complete_command)'
complete -c awsenv -f -n 'not __awsenv_after_dashdash; and not __fish_use_subcommand; and string match -q -- "-*" (commandline -ct)' -a '(command $__awsenv_bin __complete options-(commandline -opc)[2] (commandline -ct))'
complete -c awsenv -f -n '__fish_seen_subcommand_from login logout sync add' -l sso-session -r -a '(command $__awsenv_bin __complete sso-sessions (commandline -ct))'
complete -c awsenv -f -n __awsenv_wants_profile -a '(command $__awsenv_bin __complete described-profiles)'

# For `awsenv doctor`, read by children: this shell, its PID, the hook's version and binary.
set -gx AWSENV_HOOK "fish:$fish_pid:__AWSENV_VERSION__:$__awsenv_bin"

__awsenv_prompt_update
