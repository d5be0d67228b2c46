
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'awsenv' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'awsenv'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'awsenv' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Print the statements that make this shell act as PROFILE')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with the profile''s credentials in its environment (it replaces awsenv, so its exit status and signals are the command''s own), or with --server from an endpoint that keeps them fresh for as long as it runs')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Ask STS who the credentials belong to (GetCallerIdentity)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End IAM Identity Center logins: the portal session and the cached token')
            [CompletionResult]::new('credential-process', 'credential-process', [CompletionResultType]::ParameterValue, 'Print the profile''s credentials as `credential_process` JSON, so that any SDK or tool can use awsenv''s cache, MFA handling and SSO renewal')
            [CompletionResult]::new('console', 'console', [CompletionResultType]::ParameterValue, 'Open the AWS console signed in as the profile (or print the sign-in URL)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook that renews credentials before they expire, and profile-name completion')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Renew a profile''s cached credentials ahead of expiry, silently (the shell hook starts it in the background; at most one runs per profile)')
            [CompletionResult]::new('prompt', 'prompt', [CompletionResultType]::ParameterValue, 'Print the active profile and the time its credentials have left, for a prompt (reads only the environment)')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'Profile names for shell completion (fast: reads only section headers)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Print the statements that remove everything awsenv set')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Forget what awsenv has cached for profiles: role, SSO role and credential_process credentials (with --mfa the MFA session too; --all: every entry)')
            [CompletionResult]::new('write-credentials', 'write-credentials', [CompletionResultType]::ParameterValue, 'Write a profile''s temporary credentials into your credentials file as a section of its own, for tools that read only that file (with --watch, kept fresh)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles with their kind, region and source file')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check the config files: lost indentation, mistyped keys, dangling references, keys that win silently, secrets in the wrong file; each finding with file:line and the fix')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check this machine''s setup: the shell hook and its binary, completion, awsenv-fetch, both files, the cache directory, SSO logins, the clock (--online) and the lint findings')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a profile''s credentials on a local endpoint that every AWS SDK can poll (the container credential provider), renewed ahead of expiry')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'IAM Identity Center at organisation scale: a profile for every account and role you are assigned (`sso sync`), or the one you pick (`sso add`)')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Long-term access keys in a secret store (the OS''s, or an encrypted file) instead of plaintext in ~/.aws/credentials')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;use' {
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'The shell whose syntax to print')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print shell code, or a format for tools')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Use this region instead of the profile''s')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--export-profile', '--export-profile', [CompletionResultType]::ParameterName, 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch new credentials even if cached ones are still valid')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the credential cache')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Called from the shell hook: never prompt, never wait long for another refresh')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the statements even when stdout is a terminal (they hold the secret key)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'awsenv;exec' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Use this region instead of the profile''s')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port (default: a free one)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'The loopback address to listen on (default 127.0.0.1; nothing else is accepted)')
            [CompletionResult]::new('--export-profile', '--export-profile', [CompletionResultType]::ParameterName, 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch new credentials even if cached ones are still valid')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the credential cache')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Serve the credentials from a local endpoint that renews them, instead of exporting keys')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;whoami' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Use this region instead of the profile''s')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--export-profile', '--export-profile', [CompletionResultType]::ParameterName, 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch new credentials even if cached ones are still valid')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the credential cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;login' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'The [sso-session NAME] to log in to')
            [CompletionResult]::new('--use-device-code', '--use-device-code', [CompletionResultType]::ParameterName, 'Use the device code flow (for machines the browser cannot reach)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; print the URL (and code) instead')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;logout' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'The [sso-session NAME] to log out of')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;credential-process' {
            [CompletionResult]::new('--key-store', '--key-store', [CompletionResultType]::ParameterName, 'Print the long-term keys awsenv keeps for NAME in STORE (os or file): the line `keys add` writes into a profile')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Use this region instead of the profile''s')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--export-profile', '--export-profile', [CompletionResultType]::ParameterName, 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch new credentials even if cached ones are still valid')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the credential cache')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print them even when stdout is a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;console' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Use this region instead of the profile''s')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--destination', '--destination', [CompletionResultType]::ParameterName, 'The console page to land on (default: the console home of the region)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Land on this service''s console (`s3`, `ec2`, `cloudwatch`, ...) in the region')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Land on this service''s console (`s3`, `ec2`, `cloudwatch`, ...) in the region')
            [CompletionResult]::new('--browser', '--browser', [CompletionResultType]::ParameterName, 'The browser: firefox, chrome, chromium, brave, edge, safari, or any command (default: the profile''s awsenv_browser, else AWSENV_BROWSER, else BROWSER, else the system''s browser)')
            [CompletionResult]::new('--browser-profile', '--browser-profile', [CompletionResultType]::ParameterName, 'The browser''s profile to open it in: a Chromium-family profile directory (`Profile 1`) or a Firefox profile (default: the profile''s awsenv_browser_profile)')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Open it in this Firefox container (named after the profile when no NAME is given), through the "Open external links in a container" extension, so that several accounts stay signed in side by side (default: the profile''s awsenv_container)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long the console session lasts, in seconds: 900 to 43200 for a role (3600 for a role assumed from another role), up to 129600 for an IAM user')
            [CompletionResult]::new('--export-profile', '--export-profile', [CompletionResultType]::ParameterName, 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch new credentials even if cached ones are still valid')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the credential cache')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the sign-in URL on stdout instead of opening a browser (it signs in whoever has it, for 15 minutes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;init' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;refresh' {
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Start the refresh in a new session, detached from the terminal, and return at once (for shells that cannot background a process cheaply themselves)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;prompt' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to print: `{profile}` (with its roles on the fly: `prod → Admin`), `{name}` (the profile alone), `{role}` (the last role on the fly), `{left}` (`42m`, `1h05m`, `expired`, or empty for credentials that do not expire), `{region}` and `{account}` are replaced')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;__complete' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;unset' {
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'The shell whose syntax to print')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print shell code, or a format for tools')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'awsenv;clear' {
            [CompletionResult]::new('--mfa', '--mfa', [CompletionResultType]::ParameterName, 'Also forget the MFA session of their long-term keys (the next use asks for a code)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Forget every credential awsenv has cached, MFA sessions included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;write-credentials' {
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The section''s name in the credentials file (default: the profile''s)')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove the section NAME that awsenv wrote (and stop its background renewal)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Use this region instead of the profile''s')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Stay, and write the section again ahead of each expiry until stopped')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'With --watch: renew in the background, detached from the terminal, until `--remove NAME`')
            [CompletionResult]::new('--export-profile', '--export-profile', [CompletionResultType]::ParameterName, 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch new credentials even if cached ones are still valid')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the credential cache')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;list' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON array instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;explain' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Explain with this region instead of the profile''s')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;lint' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON array (severity, rule, at, profile, message, fix) instead of lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;doctor' {
            [CompletionResult]::new('--online', '--online', [CompletionResultType]::ParameterName, 'Also compare this machine''s clock with STS''s (one unsigned request, no credentials)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object instead of lines (see below)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;serve' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port (default: a free one)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'The loopback address to listen on (default 127.0.0.1; nothing else is accepted)')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'The shell whose syntax to print')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print shell code, or a format for tools')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Use this region instead of the profile''s')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the role''s trust policy asks for (with --role-arn)')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'The role session''s name (with --role-arn; default awsenv-USER-TIME)')
            [CompletionResult]::new('--role-duration', '--role-duration', [CompletionResultType]::ParameterName, 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)')
            [CompletionResult]::new('--mfa-serial', '--mfa-serial', [CompletionResultType]::ParameterName, 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Serve in the background until this shell ends (or `serve --stop`), printing at once')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop the server this shell started with --detach and print what removes its variables')
            [CompletionResult]::new('--export-profile', '--export-profile', [CompletionResultType]::ParameterName, 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch new credentials even if cached ones are still valid')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the credential cache')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the statements even when stdout is a terminal (they hold the endpoint''s token)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'awsenv;sso' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;sso;sync' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'The sso-session to sync (repeatable; default: every one with a block, or the only one)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The profile name (default: {account_name}/{role_name})')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, '`region` for every profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`output` for every profile')
            [CompletionResult]::new('--extra', '--extra', [CompletionResultType]::ParameterName, 'One more `key = value` line for every profile (repeatable; placeholders allowed)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the changes as a diff and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;sso;add' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'The sso-session (default: the only one, or pick one)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The profile name (default: {account_name}/{role_name})')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, '`region` for every profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`output` for every profile')
            [CompletionResult]::new('--extra', '--extra', [CompletionResultType]::ParameterName, 'One more `key = value` line for every profile (repeatable; placeholders allowed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;sso;help' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;sso;help;sync' {
            break
        }
        'awsenv;sso;help;add' {
            break
        }
        'awsenv;sso;help;help' {
            break
        }
        'awsenv;keys' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store keys for PROFILE, typed on the terminal (never on the command line)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Move PROFILE''s keys out of the credentials (or config) file into the store')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The profiles with stored keys and their key ids (never a secret)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove PROFILE''s stored keys and its credential_process line')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace PROFILE''s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day''s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;keys;add' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'os or file (default: AWSENV_KEY_STORE, else os)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;keys;import' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'os or file (default: AWSENV_KEY_STORE, else os)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;keys;list' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;keys;rm' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;keys;rotate' {
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The MFA code, when the user has an MFA device and no MFA session is cached')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'awsenv;keys;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store keys for PROFILE, typed on the terminal (never on the command line)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Move PROFILE''s keys out of the credentials (or config) file into the store')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The profiles with stored keys and their key ids (never a secret)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove PROFILE''s stored keys and its credential_process line')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace PROFILE''s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day''s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;keys;help;add' {
            break
        }
        'awsenv;keys;help;import' {
            break
        }
        'awsenv;keys;help;list' {
            break
        }
        'awsenv;keys;help;rm' {
            break
        }
        'awsenv;keys;help;rotate' {
            break
        }
        'awsenv;keys;help;help' {
            break
        }
        'awsenv;help' {
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Print the statements that make this shell act as PROFILE')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with the profile''s credentials in its environment (it replaces awsenv, so its exit status and signals are the command''s own), or with --server from an endpoint that keeps them fresh for as long as it runs')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Ask STS who the credentials belong to (GetCallerIdentity)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End IAM Identity Center logins: the portal session and the cached token')
            [CompletionResult]::new('credential-process', 'credential-process', [CompletionResultType]::ParameterValue, 'Print the profile''s credentials as `credential_process` JSON, so that any SDK or tool can use awsenv''s cache, MFA handling and SSO renewal')
            [CompletionResult]::new('console', 'console', [CompletionResultType]::ParameterValue, 'Open the AWS console signed in as the profile (or print the sign-in URL)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook that renews credentials before they expire, and profile-name completion')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Renew a profile''s cached credentials ahead of expiry, silently (the shell hook starts it in the background; at most one runs per profile)')
            [CompletionResult]::new('prompt', 'prompt', [CompletionResultType]::ParameterValue, 'Print the active profile and the time its credentials have left, for a prompt (reads only the environment)')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'Profile names for shell completion (fast: reads only section headers)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Print the statements that remove everything awsenv set')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Forget what awsenv has cached for profiles: role, SSO role and credential_process credentials (with --mfa the MFA session too; --all: every entry)')
            [CompletionResult]::new('write-credentials', 'write-credentials', [CompletionResultType]::ParameterValue, 'Write a profile''s temporary credentials into your credentials file as a section of its own, for tools that read only that file (with --watch, kept fresh)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles with their kind, region and source file')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check the config files: lost indentation, mistyped keys, dangling references, keys that win silently, secrets in the wrong file; each finding with file:line and the fix')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check this machine''s setup: the shell hook and its binary, completion, awsenv-fetch, both files, the cache directory, SSO logins, the clock (--online) and the lint findings')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a profile''s credentials on a local endpoint that every AWS SDK can poll (the container credential provider), renewed ahead of expiry')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'IAM Identity Center at organisation scale: a profile for every account and role you are assigned (`sso sync`), or the one you pick (`sso add`)')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Long-term access keys in a secret store (the OS''s, or an encrypted file) instead of plaintext in ~/.aws/credentials')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'awsenv;help;use' {
            break
        }
        'awsenv;help;exec' {
            break
        }
        'awsenv;help;whoami' {
            break
        }
        'awsenv;help;login' {
            break
        }
        'awsenv;help;logout' {
            break
        }
        'awsenv;help;credential-process' {
            break
        }
        'awsenv;help;console' {
            break
        }
        'awsenv;help;init' {
            break
        }
        'awsenv;help;refresh' {
            break
        }
        'awsenv;help;prompt' {
            break
        }
        'awsenv;help;__complete' {
            break
        }
        'awsenv;help;unset' {
            break
        }
        'awsenv;help;clear' {
            break
        }
        'awsenv;help;write-credentials' {
            break
        }
        'awsenv;help;list' {
            break
        }
        'awsenv;help;explain' {
            break
        }
        'awsenv;help;lint' {
            break
        }
        'awsenv;help;doctor' {
            break
        }
        'awsenv;help;serve' {
            break
        }
        'awsenv;help;sso' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)')
            break
        }
        'awsenv;help;sso;sync' {
            break
        }
        'awsenv;help;sso;add' {
            break
        }
        'awsenv;help;keys' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store keys for PROFILE, typed on the terminal (never on the command line)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Move PROFILE''s keys out of the credentials (or config) file into the store')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The profiles with stored keys and their key ids (never a secret)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove PROFILE''s stored keys and its credential_process line')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace PROFILE''s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day''s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require')
            break
        }
        'awsenv;help;keys;add' {
            break
        }
        'awsenv;help;keys;import' {
            break
        }
        'awsenv;help;keys;list' {
            break
        }
        'awsenv;help;keys;rm' {
            break
        }
        'awsenv;help;keys;rotate' {
            break
        }
        'awsenv;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
