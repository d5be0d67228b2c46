# awsenv shell integration for nushell. Nushell sources files, not text, so save the script once
# and source it from config.nu:
#   awsenv init nu | save -f ($nu.default-config-dir | path join awsenv.nu)
#   source awsenv.nu
# (Run the first line again after upgrading awsenv.)

const __awsenv_bin = __AWSENV_BIN__

# Apply `awsenv use --format json` output: a string sets a variable, null removes it. No text is
# ever evaluated as code.
def --env __awsenv_apply [changes: record] {
    let rows = $changes | transpose name value
    hide-env --ignore-errors ...($rows | where value == null | get name)
    load-env ($rows | where value != null | reduce --fold {} {|row, acc| $acc | insert $row.name $row.value })
}

# `awsenv use` and `awsenv unset` change this shell; every other command runs as it is.
def --env --wrapped awsenv [...args: string@__awsenv_complete] {
    let subcommand = $args | get 0? | default ''
    let passthrough = $args | any {|arg|
        $arg in [-h --help --format --shell] or ($arg starts-with '--format=') or ($arg starts-with '--shell=')
    }
    if $subcommand in [use unset] and not $passthrough {
        let out = try { ^$__awsenv_bin $subcommand --shell nu --format json ...($args | skip 1) } catch { return }
        __awsenv_apply ($out | from json)
        __awsenv_prompt_update
    } else if $subcommand == 'clear' and not $passthrough {
        # What this shell holds may be what was forgotten: the next prompt renews it.
        ^$__awsenv_bin ...$args
        if ($env.AWSENV_EXPIRES_AT? | default '') != '' { $env.AWSENV_EXPIRES_AT = '0' }
    } else {
        ^$__awsenv_bin ...$args
    }
}

# The shell's own clock: no process is started to read it.
def __awsenv_now [] {
    (date now | into int) // 1_000_000_000
}

# A setting in whole seconds, or its default when unset or not a number.
def __awsenv_seconds [value: any, default: int] {
    if ($value | describe) == 'string' and ($value =~ '^[0-9]+$') { $value | into int } else { $default }
}

# AWSENV_PROMPT holds what `awsenv prompt` prints ("prod 42m"), kept up to date for the prompt.
def --env __awsenv_prompt_update [] {
    let profile = $env.AWSENV_PROFILE? | default ''
    let shown = $env.AWSENV_SHOWN? | default '' | if $in == '' { $profile } else { $in }
    let expires = $env.AWSENV_EXPIRES_AT? | default ''
    $env.AWSENV_PROMPT = if $profile == '' {
        ''
    } else if not ($expires =~ '^[0-9]+$') {
        $shown
    } else {
        let left = ($expires | into int) - (__awsenv_now)
        if $left <= 0 {
            $'($shown) expired'
        } else if $left < 60 {
            $'($shown) ($left)s'
        } else if $left < 3600 {
            $'($shown) ($left // 60)m'
        } else {
            let minutes = $left mod 3600 // 60 | into string | fill --alignment right --character '0' --width 2
            $'($shown) ($left // 3600)h($minutes)m'
        }
    }
}

# On each prompt: nothing to do while the credentials are fresh (no process is started). Within
# AWSENV_REFRESH_AHEAD (20 min) of expiry, one detached `awsenv refresh` renews the shared cache;
# within AWSENV_REFRESH_BEFORE (10 min), `awsenv use --hook` takes the new credentials. Each is
# tried once per expiry, so a refresh that needs a person warns once, not every prompt.
def --env __awsenv_hook [] {
    let profile = $env.AWSENV_PROFILE? | default ''
    let expires = $env.AWSENV_EXPIRES_AT? | default ''
    if $profile != '' and ($expires =~ '^[0-9]+$') {
        let before = __awsenv_seconds ($env.AWSENV_REFRESH_BEFORE? | default '') 600
        let ahead = __awsenv_seconds ($env.AWSENV_REFRESH_AHEAD? | default '') 1200
        let left = ($expires | into int) - (__awsenv_now)
        let key = $'($profile):($expires)'
        if $left < $before {
            # A failed renewal is tried again after AWSENV_RETRY_AFTER (30 s), then twice as long
            # each time up to 10 minutes: its error shows once per outage, and its end is said.
            let base = __awsenv_seconds ($env.AWSENV_RETRY_AFTER? | default '') 30
            if ($env.__AWSENV_KEY? | default '') != $key {
                $env.__AWSENV_KEY = $key
                $env.__AWSENV_RETRY_AT = 0
                $env.__AWSENV_BACKOFF = $base
            }
            let now = __awsenv_now
            # Once the credentials have expired, a try at least every minute, whatever the backoff.
            if $left <= 0 and ($env.__AWSENV_RETRY_AT? | default 0) > ($now + 60) {
                $env.__AWSENV_RETRY_AT = $now + 60
            }
            if $now >= ($env.__AWSENV_RETRY_AT? | default 0) {
                $env.__AWSENV_RETRY_AT = $now + ($env.__AWSENV_BACKOFF? | default $base)
                let failing = ($env.__AWSENV_FAILING? | default '') != ''
                let out = if $failing {
                    try { ^$__awsenv_bin use --shell nu --format json --hook -- $profile e> /dev/null } catch { null }
                } else {
                    try { ^$__awsenv_bin use --shell nu --format json --hook -- $profile } catch { null }
                }
                if $out != null {
                    __awsenv_apply ($out | from json)
                    if $failing {
                        print --stderr $'awsenv: renewed profile ($profile) again'
                    }
                    $env.__AWSENV_FAILING = ''
                    $env.__AWSENV_BACKOFF = $base
                } else {
                    $env.__AWSENV_FAILING = '1'
                    $env.__AWSENV_BACKOFF = ([600 (($env.__AWSENV_BACKOFF? | default $base) * 2)] | math min)
                }
            }
        } else if $left < $ahead and ($env.__AWSENV_AHEAD? | default '') != $key {
            $env.__AWSENV_AHEAD = $key
            try { ^$__awsenv_bin refresh --detach -- $profile o+e>| ignore }
        }
    }
    __awsenv_prompt_update
}

# Tab completion: subcommands, and profile names read live from the config files.
def __awsenv_complete [context: string] {
    let words = $context | split row --regex '\s+'
    if ($words | length) >= 3 and ($words | get (($words | length) - 2)) == '--sso-session' {
        ^$__awsenv_bin __complete sso-sessions ($words | last) | lines
    } else if ($words | length) <= 2 {
        [use unset clear list explain exec whoami console login logout credential-process write-credentials prompt refresh init lint doctor serve sso keys]
    } else if ($words | length) == 3 and ($words.1 in [use clear explain exec whoami console login logout credential-process write-credentials refresh serve]) {
        # Each profile with its kind and region as the description.
        ^$__awsenv_bin __complete described-profiles ($words | last) | lines | split column "\t" value description
    } else {
        []
    }
}

# Sourced twice, hooked once: an earlier copy of this hook is replaced, other hooks are kept.
$env.config.hooks.pre_prompt = (
    $env.config.hooks.pre_prompt? | default []
    | where {|hook| ($hook | describe) != 'closure' or (view source $hook) != '{|| __awsenv_hook }' }
    | append {|| __awsenv_hook }
)

# For `awsenv doctor`, read by children: this shell, its PID, the hook's version and binary.
$env.AWSENV_HOOK = $"nu:($nu.pid):__AWSENV_VERSION__:($__awsenv_bin)"

__awsenv_prompt_update
