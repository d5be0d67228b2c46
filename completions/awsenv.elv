
use builtin;
use str;

set edit:completion:arg-completer[awsenv] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'awsenv'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'awsenv'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand use 'Print the statements that make this shell act as PROFILE'
            cand exec 'Run a command with the profile''s credentials in its environment (it replaces awsenv, so its exit status and signals are the command''s own), or with --server from an endpoint that keeps them fresh for as long as it runs'
            cand whoami 'Ask STS who the credentials belong to (GetCallerIdentity)'
            cand login 'Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)'
            cand logout 'End IAM Identity Center logins: the portal session and the cached token'
            cand credential-process 'Print the profile''s credentials as `credential_process` JSON, so that any SDK or tool can use awsenv''s cache, MFA handling and SSO renewal'
            cand console 'Open the AWS console signed in as the profile (or print the sign-in URL)'
            cand init 'Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook that renews credentials before they expire, and profile-name completion'
            cand refresh 'Renew a profile''s cached credentials ahead of expiry, silently (the shell hook starts it in the background; at most one runs per profile)'
            cand prompt 'Print the active profile and the time its credentials have left, for a prompt (reads only the environment)'
            cand __complete 'Profile names for shell completion (fast: reads only section headers)'
            cand unset 'Print the statements that remove everything awsenv set'
            cand clear 'Forget what awsenv has cached for profiles: role, SSO role and credential_process credentials (with --mfa the MFA session too; --all: every entry)'
            cand write-credentials 'Write a profile''s temporary credentials into your credentials file as a section of its own, for tools that read only that file (with --watch, kept fresh)'
            cand list 'List the profiles with their kind, region and source file'
            cand explain 'Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)'
            cand lint 'Check the config files: lost indentation, mistyped keys, dangling references, keys that win silently, secrets in the wrong file; each finding with file:line and the fix'
            cand doctor 'Check this machine''s setup: the shell hook and its binary, completion, awsenv-fetch, both files, the cache directory, SSO logins, the clock (--online) and the lint findings'
            cand serve 'Serve a profile''s credentials on a local endpoint that every AWS SDK can poll (the container credential provider), renewed ahead of expiry'
            cand sso 'IAM Identity Center at organisation scale: a profile for every account and role you are assigned (`sso sync`), or the one you pick (`sso add`)'
            cand keys 'Long-term access keys in a secret store (the OS''s, or an encrypted file) instead of plaintext in ~/.aws/credentials'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;use'= {
            cand --shell 'The shell whose syntax to print'
            cand --format 'Print shell code, or a format for tools'
            cand --region 'Use this region instead of the profile''s'
            cand --mfa-code 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)'
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --export-profile 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
            cand --refresh 'Fetch new credentials even if cached ones are still valid'
            cand --no-cache 'Neither read nor write the credential cache'
            cand --hook 'Called from the shell hook: never prompt, never wait long for another refresh'
            cand --print 'Print the statements even when stdout is a terminal (they hold the secret key)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'awsenv;exec'= {
            cand --region 'Use this region instead of the profile''s'
            cand --mfa-code 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)'
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --port 'The port (default: a free one)'
            cand --bind 'The loopback address to listen on (default 127.0.0.1; nothing else is accepted)'
            cand --export-profile 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
            cand --refresh 'Fetch new credentials even if cached ones are still valid'
            cand --no-cache 'Neither read nor write the credential cache'
            cand --server 'Serve the credentials from a local endpoint that renews them, instead of exporting keys'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;whoami'= {
            cand --region 'Use this region instead of the profile''s'
            cand --mfa-code 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)'
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --export-profile 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
            cand --refresh 'Fetch new credentials even if cached ones are still valid'
            cand --no-cache 'Neither read nor write the credential cache'
            cand --json 'JSON instead of text'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;login'= {
            cand --sso-session 'The [sso-session NAME] to log in to'
            cand --use-device-code 'Use the device code flow (for machines the browser cannot reach)'
            cand --no-browser 'Do not open a browser; print the URL (and code) instead'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;logout'= {
            cand --sso-session 'The [sso-session NAME] to log out of'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;credential-process'= {
            cand --key-store 'Print the long-term keys awsenv keeps for NAME in STORE (os or file): the line `keys add` writes into a profile'
            cand --region 'Use this region instead of the profile''s'
            cand --mfa-code 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)'
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --export-profile 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
            cand --refresh 'Fetch new credentials even if cached ones are still valid'
            cand --no-cache 'Neither read nor write the credential cache'
            cand --print 'Print them even when stdout is a terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;console'= {
            cand --region 'Use this region instead of the profile''s'
            cand --mfa-code 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)'
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --destination 'The console page to land on (default: the console home of the region)'
            cand -s 'Land on this service''s console (`s3`, `ec2`, `cloudwatch`, ...) in the region'
            cand --service 'Land on this service''s console (`s3`, `ec2`, `cloudwatch`, ...) in the region'
            cand --browser 'The browser: firefox, chrome, chromium, brave, edge, safari, or any command (default: the profile''s awsenv_browser, else AWSENV_BROWSER, else BROWSER, else the system''s browser)'
            cand --browser-profile 'The browser''s profile to open it in: a Chromium-family profile directory (`Profile 1`) or a Firefox profile (default: the profile''s awsenv_browser_profile)'
            cand --container 'Open it in this Firefox container (named after the profile when no NAME is given), through the "Open external links in a container" extension, so that several accounts stay signed in side by side (default: the profile''s awsenv_container)'
            cand --duration 'How long the console session lasts, in seconds: 900 to 43200 for a role (3600 for a role assumed from another role), up to 129600 for an IAM user'
            cand --export-profile 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
            cand --refresh 'Fetch new credentials even if cached ones are still valid'
            cand --no-cache 'Neither read nor write the credential cache'
            cand --print 'Print the sign-in URL on stdout instead of opening a browser (it signs in whoever has it, for 15 minutes)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;init'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;refresh'= {
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --detach 'Start the refresh in a new session, detached from the terminal, and return at once (for shells that cannot background a process cheaply themselves)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;prompt'= {
            cand --format 'What to print: `{profile}` (with its roles on the fly: `prod → Admin`), `{name}` (the profile alone), `{role}` (the last role on the fly), `{left}` (`42m`, `1h05m`, `expired`, or empty for credentials that do not expire), `{region}` and `{account}` are replaced'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;__complete'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;unset'= {
            cand --shell 'The shell whose syntax to print'
            cand --format 'Print shell code, or a format for tools'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'awsenv;clear'= {
            cand --mfa 'Also forget the MFA session of their long-term keys (the next use asks for a code)'
            cand --all 'Forget every credential awsenv has cached, MFA sessions included'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;write-credentials'= {
            cand --as 'The section''s name in the credentials file (default: the profile''s)'
            cand --remove 'Remove the section NAME that awsenv wrote (and stop its background renewal)'
            cand --region 'Use this region instead of the profile''s'
            cand --mfa-code 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)'
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --watch 'Stay, and write the section again ahead of each expiry until stopped'
            cand --detach 'With --watch: renew in the background, detached from the terminal, until `--remove NAME`'
            cand --export-profile 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
            cand --refresh 'Fetch new credentials even if cached ones are still valid'
            cand --no-cache 'Neither read nor write the credential cache'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;list'= {
            cand --json 'One JSON array instead of a table'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;explain'= {
            cand --region 'Explain with this region instead of the profile''s'
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --json 'JSON instead of text'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;lint'= {
            cand --json 'One JSON array (severity, rule, at, profile, message, fix) instead of lines'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;doctor'= {
            cand --online 'Also compare this machine''s clock with STS''s (one unsigned request, no credentials)'
            cand --json 'One JSON object instead of lines (see below)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;serve'= {
            cand --port 'The port (default: a free one)'
            cand --bind 'The loopback address to listen on (default 127.0.0.1; nothing else is accepted)'
            cand --shell 'The shell whose syntax to print'
            cand --format 'Print shell code, or a format for tools'
            cand --region 'Use this region instead of the profile''s'
            cand --mfa-code 'The current code of the profile''s MFA device (otherwise it is asked for on the terminal)'
            cand --role-arn 'Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files'
            cand --external-id 'The external id the role''s trust policy asks for (with --role-arn)'
            cand --session-name 'The role session''s name (with --role-arn; default awsenv-USER-TIME)'
            cand --role-duration 'How long the role''s credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role''s credentials)'
            cand --mfa-serial 'The MFA device the role''s trust policy requires (with --role-arn; a code is asked for)'
            cand --detach 'Serve in the background until this shell ends (or `serve --stop`), printing at once'
            cand --stop 'Stop the server this shell started with --detach and print what removes its variables'
            cand --export-profile 'Also set AWS_PROFILE to the profile name (see below for why it is off by default)'
            cand --refresh 'Fetch new credentials even if cached ones are still valid'
            cand --no-cache 'Neither read nor write the credential cache'
            cand --print 'Print the statements even when stdout is a terminal (they hold the endpoint''s token)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'awsenv;sso'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand sync 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported'
            cand add 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;sso;sync'= {
            cand --sso-session 'The sso-session to sync (repeatable; default: every one with a block, or the only one)'
            cand --name 'The profile name (default: {account_name}/{role_name})'
            cand --region '`region` for every profile'
            cand --output '`output` for every profile'
            cand --extra 'One more `key = value` line for every profile (repeatable; placeholders allowed)'
            cand --dry-run 'Print the changes as a diff and write nothing'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;sso;add'= {
            cand --sso-session 'The sso-session (default: the only one, or pick one)'
            cand --name 'The profile name (default: {account_name}/{role_name})'
            cand --region '`region` for every profile'
            cand --output '`output` for every profile'
            cand --extra 'One more `key = value` line for every profile (repeatable; placeholders allowed)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;sso;help'= {
            cand sync 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported'
            cand add 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;sso;help;sync'= {
        }
        &'awsenv;sso;help;add'= {
        }
        &'awsenv;sso;help;help'= {
        }
        &'awsenv;keys'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Store keys for PROFILE, typed on the terminal (never on the command line)'
            cand import 'Move PROFILE''s keys out of the credentials (or config) file into the store'
            cand list 'The profiles with stored keys and their key ids (never a secret)'
            cand rm 'Remove PROFILE''s stored keys and its credential_process line'
            cand rotate 'Replace PROFILE''s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day''s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;keys;add'= {
            cand --store 'os or file (default: AWSENV_KEY_STORE, else os)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;keys;import'= {
            cand --store 'os or file (default: AWSENV_KEY_STORE, else os)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;keys;list'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;keys;rm'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;keys;rotate'= {
            cand --mfa-code 'The MFA code, when the user has an MFA device and no MFA session is cached'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'awsenv;keys;help'= {
            cand add 'Store keys for PROFILE, typed on the terminal (never on the command line)'
            cand import 'Move PROFILE''s keys out of the credentials (or config) file into the store'
            cand list 'The profiles with stored keys and their key ids (never a secret)'
            cand rm 'Remove PROFILE''s stored keys and its credential_process line'
            cand rotate 'Replace PROFILE''s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day''s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;keys;help;add'= {
        }
        &'awsenv;keys;help;import'= {
        }
        &'awsenv;keys;help;list'= {
        }
        &'awsenv;keys;help;rm'= {
        }
        &'awsenv;keys;help;rotate'= {
        }
        &'awsenv;keys;help;help'= {
        }
        &'awsenv;help'= {
            cand use 'Print the statements that make this shell act as PROFILE'
            cand exec 'Run a command with the profile''s credentials in its environment (it replaces awsenv, so its exit status and signals are the command''s own), or with --server from an endpoint that keeps them fresh for as long as it runs'
            cand whoami 'Ask STS who the credentials belong to (GetCallerIdentity)'
            cand login 'Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)'
            cand logout 'End IAM Identity Center logins: the portal session and the cached token'
            cand credential-process 'Print the profile''s credentials as `credential_process` JSON, so that any SDK or tool can use awsenv''s cache, MFA handling and SSO renewal'
            cand console 'Open the AWS console signed in as the profile (or print the sign-in URL)'
            cand init 'Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook that renews credentials before they expire, and profile-name completion'
            cand refresh 'Renew a profile''s cached credentials ahead of expiry, silently (the shell hook starts it in the background; at most one runs per profile)'
            cand prompt 'Print the active profile and the time its credentials have left, for a prompt (reads only the environment)'
            cand __complete 'Profile names for shell completion (fast: reads only section headers)'
            cand unset 'Print the statements that remove everything awsenv set'
            cand clear 'Forget what awsenv has cached for profiles: role, SSO role and credential_process credentials (with --mfa the MFA session too; --all: every entry)'
            cand write-credentials 'Write a profile''s temporary credentials into your credentials file as a section of its own, for tools that read only that file (with --watch, kept fresh)'
            cand list 'List the profiles with their kind, region and source file'
            cand explain 'Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)'
            cand lint 'Check the config files: lost indentation, mistyped keys, dangling references, keys that win silently, secrets in the wrong file; each finding with file:line and the fix'
            cand doctor 'Check this machine''s setup: the shell hook and its binary, completion, awsenv-fetch, both files, the cache directory, SSO logins, the clock (--online) and the lint findings'
            cand serve 'Serve a profile''s credentials on a local endpoint that every AWS SDK can poll (the container credential provider), renewed ahead of expiry'
            cand sso 'IAM Identity Center at organisation scale: a profile for every account and role you are assigned (`sso sync`), or the one you pick (`sso add`)'
            cand keys 'Long-term access keys in a secret store (the OS''s, or an encrypted file) instead of plaintext in ~/.aws/credentials'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'awsenv;help;use'= {
        }
        &'awsenv;help;exec'= {
        }
        &'awsenv;help;whoami'= {
        }
        &'awsenv;help;login'= {
        }
        &'awsenv;help;logout'= {
        }
        &'awsenv;help;credential-process'= {
        }
        &'awsenv;help;console'= {
        }
        &'awsenv;help;init'= {
        }
        &'awsenv;help;refresh'= {
        }
        &'awsenv;help;prompt'= {
        }
        &'awsenv;help;__complete'= {
        }
        &'awsenv;help;unset'= {
        }
        &'awsenv;help;clear'= {
        }
        &'awsenv;help;write-credentials'= {
        }
        &'awsenv;help;list'= {
        }
        &'awsenv;help;explain'= {
        }
        &'awsenv;help;lint'= {
        }
        &'awsenv;help;doctor'= {
        }
        &'awsenv;help;serve'= {
        }
        &'awsenv;help;sso'= {
            cand sync 'Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported'
            cand add 'Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)'
        }
        &'awsenv;help;sso;sync'= {
        }
        &'awsenv;help;sso;add'= {
        }
        &'awsenv;help;keys'= {
            cand add 'Store keys for PROFILE, typed on the terminal (never on the command line)'
            cand import 'Move PROFILE''s keys out of the credentials (or config) file into the store'
            cand list 'The profiles with stored keys and their key ids (never a secret)'
            cand rm 'Remove PROFILE''s stored keys and its credential_process line'
            cand rotate 'Replace PROFILE''s key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day''s MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require'
        }
        &'awsenv;help;keys;add'= {
        }
        &'awsenv;help;keys;import'= {
        }
        &'awsenv;help;keys;list'= {
        }
        &'awsenv;help;keys;rm'= {
        }
        &'awsenv;help;keys;rotate'= {
        }
        &'awsenv;help;help'= {
        }
    ]
    $completions[$command]
}
