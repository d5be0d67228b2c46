# awsenv shell integration for fish. Load it from ~/.config/fish/config.fish with:
#   awsenv init fish | source

set -g __awsenv_bin __AWSENV_BIN__

# `awsenv use` and `awsenv unset` change this shell; every other command runs as it is.
function awsenv --description 'AWS CLI profiles in this shell'
    switch "$argv[1]"
        case use unset
            for arg in $argv
                switch $arg
                    case -h --help --format '--format=*' --shell '--shell=*'
                        command $__awsenv_bin $argv
                        return
                end
            end
            set -l out (command $__awsenv_bin $argv --shell fish)
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

# AWSENV_PROMPT holds what `awsenv prompt` prints ("prod 42m"), kept up to date for the prompt.
function __awsenv_prompt_update --argument-names left
    set -g AWSENV_PROMPT
    set -q AWSENV_PROFILE; and test -n "$AWSENV_PROFILE"; or return 0
    set -g AWSENV_PROMPT $AWSENV_PROFILE
    string match -qr '^[0-9]+$' -- "$AWSENV_EXPIRES_AT"; or return 0
    test -n "$left"; or set left (__awsenv_left)
    if test $left -le 0
        set -g AWSENV_PROMPT "$AWSENV_PROFILE expired"
    else if test $left -lt 60
        set -g AWSENV_PROMPT "$AWSENV_PROFILE $left"s
    else if test $left -lt 3600
        set -g AWSENV_PROMPT "$AWSENV_PROFILE "(math --scale 0 "$left / 60")m
    else
        set -g AWSENV_PROMPT (printf '%s %dh%02dm' $AWSENV_PROFILE (math --scale 0 "$left / 3600") (math --scale 0 "$left % 3600 / 60"))
    end
end

# On each prompt: within AWSENV_REFRESH_AHEAD (20 min) of expiry, one background
# `awsenv refresh` renews the shared cache; within AWSENV_REFRESH_BEFORE (10 min),
# `awsenv use --hook` takes the new credentials. Each is tried once per expiry, so a refresh that
# needs a person warns once, not every prompt.
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
            if test "$__awsenv_tried" != "$key"
                set -g __awsenv_tried $key
                set -l out (command $__awsenv_bin use --shell fish --hook -- $AWSENV_PROFILE)
                and printf '%s\n' $out | source
                set left ''
            end
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

# Tab completion: subcommands, and profile names read live from the config files.
complete -c awsenv -e
complete -c awsenv -f -n __fish_use_subcommand -a 'use unset list explain exec whoami console login logout credential-process prompt refresh init'
complete -c awsenv -f -n '__fish_seen_subcommand_from login logout' -l sso-session -r -a '(command $__awsenv_bin __complete sso-sessions (commandline -ct))'
complete -c awsenv -f -n '__fish_seen_subcommand_from use explain exec whoami console login logout credential-process refresh' -a '(command $__awsenv_bin __complete profiles (commandline -ct))'

__awsenv_prompt_update
