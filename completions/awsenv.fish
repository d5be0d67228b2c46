# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_awsenv_global_optspecs
    string join \n h/help V/version
end

function __fish_awsenv_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_awsenv_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_awsenv_using_subcommand
    set -l cmd (__fish_awsenv_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c awsenv -n "__fish_awsenv_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_needs_command" -s V -l version -d 'Print version'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "use" -d 'Print the statements that make this shell act as PROFILE'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "exec" -d 'Run a command with the profile\'s credentials in its environment (it replaces awsenv, so its exit status and signals are the command\'s own), or with --server from an endpoint that keeps them fresh for as long as it runs'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "whoami" -d 'Ask STS who the credentials belong to (GetCallerIdentity)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "login" -d 'Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "logout" -d 'End IAM Identity Center logins: the portal session and the cached token'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "credential-process" -d 'Print the profile\'s credentials as `credential_process` JSON, so that any SDK or tool can use awsenv\'s cache, MFA handling and SSO renewal'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "console" -d 'Open the AWS console signed in as the profile (or print the sign-in URL)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "init" -d 'Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook that renews credentials before they expire, and profile-name completion'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "refresh" -d 'Renew a profile\'s cached credentials ahead of expiry, silently (the shell hook starts it in the background; at most one runs per profile)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "prompt" -d 'Print the active profile and the time its credentials have left, for a prompt (reads only the environment)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "__complete" -d 'Profile names for shell completion (fast: reads only section headers)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "unset" -d 'Print the statements that remove everything awsenv set'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "clear" -d 'Forget what awsenv has cached for profiles: role, SSO role and credential_process credentials (with --mfa the MFA session too; --all: every entry)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "write-credentials" -d 'Write a profile\'s temporary credentials into your credentials file as a section of its own, for tools that read only that file (with --watch, kept fresh)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "list" -d 'List the profiles with their kind, region and source file'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "explain" -d 'Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "lint" -d 'Check the config files: lost indentation, mistyped keys, dangling references, keys that win silently, secrets in the wrong file; each finding with file:line and the fix'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "doctor" -d 'Check this machine\'s setup: the shell hook and its binary, completion, awsenv-fetch, both files, the cache directory, SSO logins, the clock (--online) and the lint findings'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "serve" -d 'Serve a profile\'s credentials on a local endpoint that every AWS SDK can poll (the container credential provider), renewed ahead of expiry'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "sso" -d 'IAM Identity Center at organisation scale: a profile for every account and role you are assigned (`sso sync`), or the one you pick (`sso add`)'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "keys" -d 'Long-term access keys in a secret store (the OS\'s, or an encrypted file) instead of plaintext in ~/.aws/credentials'
complete -c awsenv -n "__fish_awsenv_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l shell -d 'The shell whose syntax to print' -r -f -a "sh\t'POSIX sh; also what bash, zsh, ksh and dash eval'
bash\t''
zsh\t''
fish\t''
pwsh\t''
nu\t''
elvish\t''
tcsh\t''"
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l format -d 'Print shell code, or a format for tools' -r -f -a "shell\t'Code for the shell named by `--shell`'
json\t'One JSON object: set variables with their value, unset ones as null'
dotenv\t'`NAME=\'value\'` lines as docker compose and python-dotenv read them; unsets are left out'"
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l region -d 'Use this region instead of the profile\'s' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l mfa-code -d 'The current code of the profile\'s MFA device (otherwise it is asked for on the terminal)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l export-profile -d 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l refresh -d 'Fetch new credentials even if cached ones are still valid'
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l no-cache -d 'Neither read nor write the credential cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l hook -d 'Called from the shell hook: never prompt, never wait long for another refresh'
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -l print -d 'Print the statements even when stdout is a terminal (they hold the secret key)'
complete -c awsenv -n "__fish_awsenv_using_subcommand use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l region -d 'Use this region instead of the profile\'s' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l mfa-code -d 'The current code of the profile\'s MFA device (otherwise it is asked for on the terminal)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l port -d 'The port (default: a free one)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l bind -d 'The loopback address to listen on (default 127.0.0.1; nothing else is accepted)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l export-profile -d 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l refresh -d 'Fetch new credentials even if cached ones are still valid'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l no-cache -d 'Neither read nor write the credential cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -l server -d 'Serve the credentials from a local endpoint that renews them, instead of exporting keys'
complete -c awsenv -n "__fish_awsenv_using_subcommand exec" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l region -d 'Use this region instead of the profile\'s' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l mfa-code -d 'The current code of the profile\'s MFA device (otherwise it is asked for on the terminal)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l export-profile -d 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l refresh -d 'Fetch new credentials even if cached ones are still valid'
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l no-cache -d 'Neither read nor write the credential cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -l json -d 'JSON instead of text'
complete -c awsenv -n "__fish_awsenv_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -l sso-session -d 'The [sso-session NAME] to log in to' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -l use-device-code -d 'Use the device code flow (for machines the browser cannot reach)'
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -l no-browser -d 'Do not open a browser; print the URL (and code) instead'
complete -c awsenv -n "__fish_awsenv_using_subcommand login" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand logout" -l sso-session -d 'The [sso-session NAME] to log out of' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand logout" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l key-store -d 'Print the long-term keys awsenv keeps for NAME in STORE (os or file): the line `keys add` writes into a profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l region -d 'Use this region instead of the profile\'s' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l mfa-code -d 'The current code of the profile\'s MFA device (otherwise it is asked for on the terminal)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l export-profile -d 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l refresh -d 'Fetch new credentials even if cached ones are still valid'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l no-cache -d 'Neither read nor write the credential cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -l print -d 'Print them even when stdout is a terminal'
complete -c awsenv -n "__fish_awsenv_using_subcommand credential-process" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l region -d 'Use this region instead of the profile\'s' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l mfa-code -d 'The current code of the profile\'s MFA device (otherwise it is asked for on the terminal)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l destination -d 'The console page to land on (default: the console home of the region)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s s -l service -d 'Land on this service\'s console (`s3`, `ec2`, `cloudwatch`, ...) in the region' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l browser -d 'The browser: firefox, chrome, chromium, brave, edge, safari, or any command (default: the profile\'s awsenv_browser, else AWSENV_BROWSER, else BROWSER, else the system\'s browser)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l browser-profile -d 'The browser\'s profile to open it in: a Chromium-family profile directory (`Profile 1`) or a Firefox profile (default: the profile\'s awsenv_browser_profile)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l container -d 'Open it in this Firefox container (named after the profile when no NAME is given), through the "Open external links in a container" extension, so that several accounts stay signed in side by side (default: the profile\'s awsenv_container)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l duration -d 'How long the console session lasts, in seconds: 900 to 43200 for a role (3600 for a role assumed from another role), up to 129600 for an IAM user' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l export-profile -d 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l refresh -d 'Fetch new credentials even if cached ones are still valid'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l no-cache -d 'Neither read nor write the credential cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -l print -d 'Print the sign-in URL on stdout instead of opening a browser (it signs in whoever has it, for 15 minutes)'
complete -c awsenv -n "__fish_awsenv_using_subcommand console" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand init" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand refresh" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand refresh" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand refresh" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand refresh" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand refresh" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand refresh" -l detach -d 'Start the refresh in a new session, detached from the terminal, and return at once (for shells that cannot background a process cheaply themselves)'
complete -c awsenv -n "__fish_awsenv_using_subcommand refresh" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand prompt" -l format -d 'What to print: `{profile}` (with its roles on the fly: `prod → Admin`), `{name}` (the profile alone), `{role}` (the last role on the fly), `{left}` (`42m`, `1h05m`, `expired`, or empty for credentials that do not expire), `{region}` and `{account}` are replaced' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand prompt" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand __complete" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand unset" -l shell -d 'The shell whose syntax to print' -r -f -a "sh\t'POSIX sh; also what bash, zsh, ksh and dash eval'
bash\t''
zsh\t''
fish\t''
pwsh\t''
nu\t''
elvish\t''
tcsh\t''"
complete -c awsenv -n "__fish_awsenv_using_subcommand unset" -l format -d 'Print shell code, or a format for tools' -r -f -a "shell\t'Code for the shell named by `--shell`'
json\t'One JSON object: set variables with their value, unset ones as null'
dotenv\t'`NAME=\'value\'` lines as docker compose and python-dotenv read them; unsets are left out'"
complete -c awsenv -n "__fish_awsenv_using_subcommand unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand clear" -l mfa -d 'Also forget the MFA session of their long-term keys (the next use asks for a code)'
complete -c awsenv -n "__fish_awsenv_using_subcommand clear" -l all -d 'Forget every credential awsenv has cached, MFA sessions included'
complete -c awsenv -n "__fish_awsenv_using_subcommand clear" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l as -d 'The section\'s name in the credentials file (default: the profile\'s)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l remove -d 'Remove the section NAME that awsenv wrote (and stop its background renewal)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l region -d 'Use this region instead of the profile\'s' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l mfa-code -d 'The current code of the profile\'s MFA device (otherwise it is asked for on the terminal)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l watch -d 'Stay, and write the section again ahead of each expiry until stopped'
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l detach -d 'With --watch: renew in the background, detached from the terminal, until `--remove NAME`'
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l export-profile -d 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l refresh -d 'Fetch new credentials even if cached ones are still valid'
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -l no-cache -d 'Neither read nor write the credential cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand write-credentials" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand list" -l json -d 'One JSON array instead of a table'
complete -c awsenv -n "__fish_awsenv_using_subcommand list" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand explain" -l region -d 'Explain with this region instead of the profile\'s' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand explain" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand explain" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand explain" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand explain" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand explain" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand explain" -l json -d 'JSON instead of text'
complete -c awsenv -n "__fish_awsenv_using_subcommand explain" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand lint" -l json -d 'One JSON array (severity, rule, at, profile, message, fix) instead of lines'
complete -c awsenv -n "__fish_awsenv_using_subcommand lint" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand doctor" -l online -d 'Also compare this machine\'s clock with STS\'s (one unsigned request, no credentials)'
complete -c awsenv -n "__fish_awsenv_using_subcommand doctor" -l json -d 'One JSON object instead of lines (see below)'
complete -c awsenv -n "__fish_awsenv_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l port -d 'The port (default: a free one)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l bind -d 'The loopback address to listen on (default 127.0.0.1; nothing else is accepted)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l shell -d 'The shell whose syntax to print' -r -f -a "sh\t'POSIX sh; also what bash, zsh, ksh and dash eval'
bash\t''
zsh\t''
fish\t''
pwsh\t''
nu\t''
elvish\t''
tcsh\t''"
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l format -d 'Print shell code, or a format for tools' -r -f -a "shell\t'Code for the shell named by `--shell`'
json\t'One JSON object: set variables with their value, unset ones as null'
dotenv\t'`NAME=\'value\'` lines as docker compose and python-dotenv read them; unsets are left out'"
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l region -d 'Use this region instead of the profile\'s' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l mfa-code -d 'The current code of the profile\'s MFA device (otherwise it is asked for on the terminal)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l role-arn -d 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l external-id -d 'The external id the role\'s trust policy asks for (with --role-arn)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l session-name -d 'The role session\'s name (with --role-arn; default awsenv-USER-TIME)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l role-duration -d 'How long the role\'s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role\'s credentials)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l mfa-serial -d 'The MFA device the role\'s trust policy requires (with --role-arn; a code is asked for)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l detach -d 'Serve in the background until this shell ends (or `serve --stop`), printing at once'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l stop -d 'Stop the server this shell started with --detach and print what removes its variables'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l export-profile -d 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l refresh -d 'Fetch new credentials even if cached ones are still valid'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l no-cache -d 'Neither read nor write the credential cache'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -l print -d 'Print the statements even when stdout is a terminal (they hold the endpoint\'s token)'
complete -c awsenv -n "__fish_awsenv_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and not __fish_seen_subcommand_from sync add help" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and not __fish_seen_subcommand_from sync add help" -f -a "sync" -d 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and not __fish_seen_subcommand_from sync add help" -f -a "add" -d 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and not __fish_seen_subcommand_from sync add help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from sync" -l sso-session -d 'The sso-session to sync (repeatable; default: every one with a block, or the only one)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from sync" -l name -d 'The profile name (default: {account_name}/{role_name})' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from sync" -l region -d '`region` for every profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from sync" -l output -d '`output` for every profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from sync" -l extra -d 'One more `key = value` line for every profile (repeatable; placeholders allowed)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from sync" -l dry-run -d 'Print the changes as a diff and write nothing'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from add" -l sso-session -d 'The sso-session (default: the only one, or pick one)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from add" -l name -d 'The profile name (default: {account_name}/{role_name})' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from add" -l region -d '`region` for every profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from add" -l output -d '`output` for every profile' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from add" -l extra -d 'One more `key = value` line for every profile (repeatable; placeholders allowed)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "add" -d 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)'
complete -c awsenv -n "__fish_awsenv_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and not __fish_seen_subcommand_from add import list rm rotate help" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and not __fish_seen_subcommand_from add import list rm rotate help" -f -a "add" -d 'Store keys for PROFILE, typed on the terminal (never on the command line)'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and not __fish_seen_subcommand_from add import list rm rotate help" -f -a "import" -d 'Move PROFILE\'s keys out of the credentials (or config) file into the store'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and not __fish_seen_subcommand_from add import list rm rotate help" -f -a "list" -d 'The profiles with stored keys and their key ids (never a secret)'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and not __fish_seen_subcommand_from add import list rm rotate help" -f -a "rm" -d 'Remove PROFILE\'s stored keys and its credential_process line'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and not __fish_seen_subcommand_from add import list rm rotate help" -f -a "rotate" -d 'Replace PROFILE\'s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day\'s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and not __fish_seen_subcommand_from add import list rm rotate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from add" -l store -d 'os or file (default: AWSENV_KEY_STORE, else os)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from import" -l store -d 'os or file (default: AWSENV_KEY_STORE, else os)' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l mfa-code -d 'The MFA code, when the user has an MFA device and no MFA session is cached' -r
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "add" -d 'Store keys for PROFILE, typed on the terminal (never on the command line)'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "import" -d 'Move PROFILE\'s keys out of the credentials (or config) file into the store'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "list" -d 'The profiles with stored keys and their key ids (never a secret)'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove PROFILE\'s stored keys and its credential_process line'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Replace PROFILE\'s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day\'s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require'
complete -c awsenv -n "__fish_awsenv_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "use" -d 'Print the statements that make this shell act as PROFILE'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "exec" -d 'Run a command with the profile\'s credentials in its environment (it replaces awsenv, so its exit status and signals are the command\'s own), or with --server from an endpoint that keeps them fresh for as long as it runs'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "whoami" -d 'Ask STS who the credentials belong to (GetCallerIdentity)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "login" -d 'Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "logout" -d 'End IAM Identity Center logins: the portal session and the cached token'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "credential-process" -d 'Print the profile\'s credentials as `credential_process` JSON, so that any SDK or tool can use awsenv\'s cache, MFA handling and SSO renewal'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "console" -d 'Open the AWS console signed in as the profile (or print the sign-in URL)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "init" -d 'Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook that renews credentials before they expire, and profile-name completion'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "refresh" -d 'Renew a profile\'s cached credentials ahead of expiry, silently (the shell hook starts it in the background; at most one runs per profile)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "prompt" -d 'Print the active profile and the time its credentials have left, for a prompt (reads only the environment)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "__complete" -d 'Profile names for shell completion (fast: reads only section headers)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "unset" -d 'Print the statements that remove everything awsenv set'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "clear" -d 'Forget what awsenv has cached for profiles: role, SSO role and credential_process credentials (with --mfa the MFA session too; --all: every entry)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "write-credentials" -d 'Write a profile\'s temporary credentials into your credentials file as a section of its own, for tools that read only that file (with --watch, kept fresh)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "list" -d 'List the profiles with their kind, region and source file'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "explain" -d 'Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "lint" -d 'Check the config files: lost indentation, mistyped keys, dangling references, keys that win silently, secrets in the wrong file; each finding with file:line and the fix'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "doctor" -d 'Check this machine\'s setup: the shell hook and its binary, completion, awsenv-fetch, both files, the cache directory, SSO logins, the clock (--online) and the lint findings'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "serve" -d 'Serve a profile\'s credentials on a local endpoint that every AWS SDK can poll (the container credential provider), renewed ahead of expiry'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "sso" -d 'IAM Identity Center at organisation scale: a profile for every account and role you are assigned (`sso sync`), or the one you pick (`sso add`)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "keys" -d 'Long-term access keys in a secret store (the OS\'s, or an encrypted file) instead of plaintext in ~/.aws/credentials'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and not __fish_seen_subcommand_from use exec whoami login logout credential-process console init refresh prompt __complete unset clear write-credentials list explain lint doctor serve sso keys help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "sync" -d 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "add" -d 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "add" -d 'Store keys for PROFILE, typed on the terminal (never on the command line)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "import" -d 'Move PROFILE\'s keys out of the credentials (or config) file into the store'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "list" -d 'The profiles with stored keys and their key ids (never a secret)'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rm" -d 'Remove PROFILE\'s stored keys and its credential_process line'
complete -c awsenv -n "__fish_awsenv_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rotate" -d 'Replace PROFILE\'s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day\'s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require'
