# awsenv shell integration for PowerShell. Load it from $PROFILE with:
#   Invoke-Expression (& awsenv init pwsh | Out-String)

$global:__awsenv_bin = __AWSENV_BIN__
$global:__awsenv_key = ''
$global:__awsenv_retry_at = 0
$global:__awsenv_backoff = 30
$global:__awsenv_failing = $false
$global:__awsenv_ahead = ''

# Apply `awsenv use --format json` output: a string sets a variable, null removes it. No text is
# ever evaluated as code.
function global:__awsenv_apply([string] $json) {
    $changes = $json | ConvertFrom-Json
    foreach ($change in $changes.PSObject.Properties) {
        if ($null -eq $change.Value) {
            Remove-Item -LiteralPath "Env:$($change.Name)" -ErrorAction SilentlyContinue
        } else {
            Set-Item -LiteralPath "Env:$($change.Name)" -Value ([string] $change.Value)
        }
    }
}

# A setting in whole seconds, or its default when unset or not a number.
function global:__awsenv_seconds([string] $value, [long] $default) {
    if ($value -match '^[0-9]+$') { return [long] $value }
    return $default
}

# AWSENV_PROMPT holds what `awsenv prompt` prints ("prod 42m"), kept up to date for the prompt.
function global:__awsenv_prompt_update {
    $awsenvProfile = $env:AWSENV_PROFILE
    if ($env:AWSENV_SHOWN) { $awsenvProfile = $env:AWSENV_SHOWN }
    $text = ''
    if ($awsenvProfile) {
        $text = $awsenvProfile
        if ($env:AWSENV_EXPIRES_AT -match '^[0-9]+$') {
            $left = [long] $env:AWSENV_EXPIRES_AT - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
            if ($left -le 0) { $text = "$awsenvProfile expired" }
            elseif ($left -lt 60) { $text = "$awsenvProfile ${left}s" }
            elseif ($left -lt 3600) { $text = "$awsenvProfile $([math]::Floor($left / 60))m" }
            else { $text = '{0} {1}h{2:00}m' -f $awsenvProfile, [math]::Floor($left / 3600), [math]::Floor(($left % 3600) / 60) }
        }
    }
    $global:AWSENV_PROMPT = $text
}

# `awsenv use` and `awsenv unset` change this shell; every other command runs as it is.
function global:awsenv {
    $passthrough = $false
    foreach ($arg in $args) {
        if ($arg -in '-h', '--help', '--format', '--shell' -or $arg -like '--format=*' -or $arg -like '--shell=*') {
            $passthrough = $true
        }
    }
    if ($args.Count -gt 0 -and $args[0] -in 'use', 'unset' -and -not $passthrough) {
        $out = & $global:__awsenv_bin $args[0] --shell pwsh --format json @($args | Select-Object -Skip 1)
        if ($LASTEXITCODE -ne 0) { return }
        __awsenv_apply ($out -join "`n")
        __awsenv_prompt_update
    } elseif ($args.Count -gt 0 -and $args[0] -eq 'clear' -and -not $passthrough) {
        # What this shell holds may be what was forgotten: the next prompt renews it.
        & $global:__awsenv_bin @args
        if ($LASTEXITCODE -ne 0) { return }
        if ($env:AWSENV_EXPIRES_AT) { $env:AWSENV_EXPIRES_AT = '0' }
        $global:__awsenv_retry_at = 0
    } else {
        & $global:__awsenv_bin @args
    }
}

# On each prompt: nothing to do while the credentials are fresh (no process is started). Within
# AWSENV_REFRESH_AHEAD (20 min) of expiry, one detached `awsenv refresh` renews the shared cache;
# within AWSENV_REFRESH_BEFORE (10 min), `awsenv use --hook` takes the new credentials. Each is
# tried once per expiry, so a refresh that needs a person warns once, not every prompt.
function global:__awsenv_hook {
    $awsenvProfile = $env:AWSENV_PROFILE
    if ($awsenvProfile -and $env:AWSENV_EXPIRES_AT -match '^[0-9]+$') {
        $before = __awsenv_seconds $env:AWSENV_REFRESH_BEFORE 600
        $ahead = __awsenv_seconds $env:AWSENV_REFRESH_AHEAD 1200
        $left = [long] $env:AWSENV_EXPIRES_AT - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $key = "${awsenvProfile}:$env:AWSENV_EXPIRES_AT"
        if ($left -lt $before) {
            # A failed renewal is tried again after AWSENV_RETRY_AFTER (30 s), then twice as long
            # each time up to 10 minutes: its error shows once per outage, and its end is said.
            $base = __awsenv_seconds $env:AWSENV_RETRY_AFTER 30
            if ($global:__awsenv_key -ne $key) {
                $global:__awsenv_key = $key
                $global:__awsenv_retry_at = 0
                $global:__awsenv_backoff = $base
            }
            $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
            # Once the credentials have expired, a try at least every minute, whatever the backoff.
            if ($left -le 0 -and $global:__awsenv_retry_at -gt ($now + 60)) { $global:__awsenv_retry_at = $now + 60 }
            if ($now -ge $global:__awsenv_retry_at) {
                $global:__awsenv_retry_at = $now + $global:__awsenv_backoff
                if ($global:__awsenv_failing) {
                    $out = & $global:__awsenv_bin use --shell pwsh --format json --hook -- $awsenvProfile 2> $null
                } else {
                    $out = & $global:__awsenv_bin use --shell pwsh --format json --hook -- $awsenvProfile
                }
                if ($LASTEXITCODE -eq 0) {
                    __awsenv_apply ($out -join "`n")
                    if ($global:__awsenv_failing) { [Console]::Error.WriteLine("awsenv: renewed profile $awsenvProfile again") }
                    $global:__awsenv_failing = $false
                    $global:__awsenv_backoff = $base
                } else {
                    $global:__awsenv_failing = $true
                    $global:__awsenv_backoff = [Math]::Min(600, $global:__awsenv_backoff * 2)
                }
            }
        } elseif ($left -lt $ahead -and $global:__awsenv_ahead -ne $key) {
            $global:__awsenv_ahead = $key
            & $global:__awsenv_bin refresh --detach -- $awsenvProfile *> $null
        }
    }
    __awsenv_prompt_update
}

# Run the hook before whatever prompt is in place (starship's, oh-my-posh's, the default), and
# keep that prompt's output and the last command's exit code. Sourced twice, hooked once.
if (-not $global:__awsenv_prompt) {
    $global:__awsenv_prompt = $function:prompt
    function global:prompt {
        $code = $global:LASTEXITCODE
        __awsenv_hook
        $global:LASTEXITCODE = $code
        & $global:__awsenv_prompt
    }
}

# Tab completion: subcommands, and profile names read live from the config files.
Register-ArgumentCompleter -Native -CommandName awsenv -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
    if ($wordToComplete) { $position = $words.Count - 1 } else { $position = $words.Count }
    $candidates = @()
    if ($position -eq 1) {
        $candidates = 'use', 'unset', 'clear', 'list', 'explain', 'exec', 'whoami', 'console', 'login', 'logout', 'credential-process', 'write-credentials', 'prompt', 'refresh', 'init', 'lint', 'doctor', 'serve', 'sso', 'keys'
    } elseif ($words[$position - 1] -eq '--sso-session') {
        $candidates = & $global:__awsenv_bin __complete sso-sessions $wordToComplete 2> $null
    } elseif ($position -eq 2 -and $words[1] -in 'use', 'clear', 'explain', 'exec', 'whoami', 'console', 'login', 'logout', 'credential-process', 'write-credentials', 'refresh', 'serve') {
        $candidates = & $global:__awsenv_bin __complete profiles $wordToComplete 2> $null
    }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}

# For `awsenv doctor`, read by children: this shell, its PID, the hook's version and binary.
$env:AWSENV_HOOK = "pwsh:${PID}:__AWSENV_VERSION__:$global:__awsenv_bin"

__awsenv_prompt_update
