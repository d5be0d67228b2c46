module completions {

  # Turn an AWS CLI profile into environment variables for your shell
  export extern awsenv [
    --help(-h)                # Print help (see more with '--help')
    --version(-V)             # Print version
  ]

  def "nu-complete awsenv use shell" [] {
    [ "sh" "bash" "zsh" "fish" "pwsh" "nu" "elvish" "tcsh" ]
  }

  def "nu-complete awsenv use format" [] {
    [ "shell" "json" "dotenv" ]
  }

  # Print the statements that make this shell act as PROFILE
  export extern "awsenv use" [
    --shell: string@"nu-complete awsenv use shell" # The shell whose syntax to print
    --format: string@"nu-complete awsenv use format" # Print shell code, or a format for tools
    --region: string          # Use this region instead of the profile's
    --export-profile          # Also set AWS_PROFILE to the profile name (see below for why it is off by default)
    --refresh                 # Fetch new credentials even if cached ones are still valid
    --no-cache                # Neither read nor write the credential cache
    --mfa-code: string        # The current code of the profile's MFA device (otherwise it is asked for on the terminal)
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --hook                    # Called from the shell hook: never prompt, never wait long for another refresh
    --print                   # Print the statements even when stdout is a terminal (they hold the secret key)
    --help(-h)                # Print help (see more with '--help')
    profile?: string          # The profile (none: pick one on the terminal)
  ]

  # Run a command with the profile's credentials in its environment (it replaces awsenv, so its exit status and signals are the command's own), or with --server from an endpoint that keeps them fresh for as long as it runs
  export extern "awsenv exec" [
    --region: string          # Use this region instead of the profile's
    --export-profile          # Also set AWS_PROFILE to the profile name (see below for why it is off by default)
    --refresh                 # Fetch new credentials even if cached ones are still valid
    --no-cache                # Neither read nor write the credential cache
    --mfa-code: string        # The current code of the profile's MFA device (otherwise it is asked for on the terminal)
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --server                  # Serve the credentials from a local endpoint that renews them, instead of exporting keys
    --port: string            # The port (default: a free one)
    --bind: string            # The loopback address to listen on (default 127.0.0.1; nothing else is accepted)
    --help(-h)                # Print help
    profile?: string          # The profile whose credentials the command gets (default: the one this shell acts as)
  ]

  # Ask STS who the credentials belong to (GetCallerIdentity)
  export extern "awsenv whoami" [
    --region: string          # Use this region instead of the profile's
    --export-profile          # Also set AWS_PROFILE to the profile name (see below for why it is off by default)
    --refresh                 # Fetch new credentials even if cached ones are still valid
    --no-cache                # Neither read nor write the credential cache
    --mfa-code: string        # The current code of the profile's MFA device (otherwise it is asked for on the terminal)
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --json                    # JSON instead of text
    --help(-h)                # Print help
    profile?: string          # A profile to ask about (default: the credentials in this shell's environment)
  ]

  # Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)
  export extern "awsenv login" [
    --sso-session: string     # The [sso-session NAME] to log in to
    --use-device-code         # Use the device code flow (for machines the browser cannot reach)
    --no-browser              # Do not open a browser; print the URL (and code) instead
    --help(-h)                # Print help
    profile?: string          # A profile that uses IAM Identity Center
  ]

  # End IAM Identity Center logins: the portal session and the cached token
  export extern "awsenv logout" [
    --sso-session: string     # The [sso-session NAME] to log out of
    --help(-h)                # Print help
    profile?: string          # A profile that uses IAM Identity Center (none: every cached login)
  ]

  # Print the profile's credentials as `credential_process` JSON, so that any SDK or tool can use awsenv's cache, MFA handling and SSO renewal
  export extern "awsenv credential-process" [
    --key-store: string       # Print the long-term keys awsenv keeps for NAME in STORE (os or file): the line `keys add` writes into a profile
    --region: string          # Use this region instead of the profile's
    --export-profile          # Also set AWS_PROFILE to the profile name (see below for why it is off by default)
    --refresh                 # Fetch new credentials even if cached ones are still valid
    --no-cache                # Neither read nor write the credential cache
    --mfa-code: string        # The current code of the profile's MFA device (otherwise it is asked for on the terminal)
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --print                   # Print them even when stdout is a terminal
    --help(-h)                # Print help
    profile?: string          # The profile whose credentials to print
  ]

  # Open the AWS console signed in as the profile (or print the sign-in URL)
  export extern "awsenv console" [
    --region: string          # Use this region instead of the profile's
    --export-profile          # Also set AWS_PROFILE to the profile name (see below for why it is off by default)
    --refresh                 # Fetch new credentials even if cached ones are still valid
    --no-cache                # Neither read nor write the credential cache
    --mfa-code: string        # The current code of the profile's MFA device (otherwise it is asked for on the terminal)
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --print                   # Print the sign-in URL on stdout instead of opening a browser (it signs in whoever has it, for 15 minutes)
    --destination: string     # The console page to land on (default: the console home of the region)
    --service(-s): string     # Land on this service's console (`s3`, `ec2`, `cloudwatch`, ...) in the region
    --browser: string         # The browser: firefox, chrome, chromium, brave, edge, safari, or any command (default: the profile's awsenv_browser, else AWSENV_BROWSER, else BROWSER, else the system's browser)
    --browser-profile: string # The browser's profile to open it in: a Chromium-family profile directory (`Profile 1`) or a Firefox profile (default: the profile's awsenv_browser_profile)
    --container: string       # Open it in this Firefox container (named after the profile when no NAME is given), through the "Open external links in a container" extension, so that several accounts stay signed in side by side (default: the profile's awsenv_container)
    --duration: string        # How long the console session lasts, in seconds: 900 to 43200 for a role (3600 for a role assumed from another role), up to 129600 for an IAM user
    --help(-h)                # Print help
    profile?: string          # The profile (default: the profile this shell acts as, else the credentials in its environment)
  ]

  def "nu-complete awsenv init shell" [] {
    [ "bash" "zsh" "fish" "pwsh" "nu" "elvish" ]
  }

  # Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook that renews credentials before they expire, and profile-name completion
  export extern "awsenv init" [
    --help(-h)                # Print help
    shell: string@"nu-complete awsenv init shell" # The shell to integrate with
  ]

  # Renew a profile's cached credentials ahead of expiry, silently (the shell hook starts it in the background; at most one runs per profile)
  export extern "awsenv refresh" [
    --detach                  # Start the refresh in a new session, detached from the terminal, and return at once (for shells that cannot background a process cheaply themselves)
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --help(-h)                # Print help
    profile?: string          # The profile whose cached credentials to renew (default: the one this shell acts as)
  ]

  # Print the active profile and the time its credentials have left, for a prompt (reads only the environment)
  export extern "awsenv prompt" [
    --format: string          # What to print: `{profile}` (with its roles on the fly: `prod → Admin`), `{name}` (the profile alone), `{role}` (the last role on the fly), `{left}` (`42m`, `1h05m`, `expired`, or empty for credentials that do not expire), `{region}` and `{account}` are replaced
    --help(-h)                # Print help
  ]

  # Profile names for shell completion (fast: reads only section headers)
  export extern "awsenv __complete" [
    --help(-h)                # Print help
    what: string              # What to complete: `profiles`, `sso-sessions`, `described-profiles` or `options-SUBCOMMAND`
    prefix?: string           # Only names starting with this (containing it, for `described-profiles`)
  ]

  def "nu-complete awsenv unset shell" [] {
    [ "sh" "bash" "zsh" "fish" "pwsh" "nu" "elvish" "tcsh" ]
  }

  def "nu-complete awsenv unset format" [] {
    [ "shell" "json" "dotenv" ]
  }

  # Print the statements that remove everything awsenv set
  export extern "awsenv unset" [
    --shell: string@"nu-complete awsenv unset shell" # The shell whose syntax to print
    --format: string@"nu-complete awsenv unset format" # Print shell code, or a format for tools
    --help(-h)                # Print help (see more with '--help')
  ]

  # Forget what awsenv has cached for profiles: role, SSO role and credential_process credentials (with --mfa the MFA session too; --all: every entry)
  export extern "awsenv clear" [
    --mfa                     # Also forget the MFA session of their long-term keys (the next use asks for a code)
    --all                     # Forget every credential awsenv has cached, MFA sessions included
    --help(-h)                # Print help
    ...profiles: string       # The profiles whose chains to forget (default: the one this shell acts as, with its roles on the fly)
  ]

  # Write a profile's temporary credentials into your credentials file as a section of its own, for tools that read only that file (with --watch, kept fresh)
  export extern "awsenv write-credentials" [
    --as: string              # The section's name in the credentials file (default: the profile's)
    --watch                   # Stay, and write the section again ahead of each expiry until stopped
    --detach                  # With --watch: renew in the background, detached from the terminal, until `--remove NAME`
    --remove: string          # Remove the section NAME that awsenv wrote (and stop its background renewal)
    --region: string          # Use this region instead of the profile's
    --export-profile          # Also set AWS_PROFILE to the profile name (see below for why it is off by default)
    --refresh                 # Fetch new credentials even if cached ones are still valid
    --no-cache                # Neither read nor write the credential cache
    --mfa-code: string        # The current code of the profile's MFA device (otherwise it is asked for on the terminal)
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --help(-h)                # Print help
    profile?: string          # The profile whose temporary credentials to write
  ]

  # List the profiles with their kind, region and source file
  export extern "awsenv list" [
    --json                    # One JSON array instead of a table
    --help(-h)                # Print help
    pattern?: string          # Only profiles whose name contains this (case does not matter)
  ]

  # Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)
  export extern "awsenv explain" [
    --json                    # JSON instead of text
    --region: string          # Explain with this region instead of the profile's
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --help(-h)                # Print help
    profile?: string          # The profile (default: the one this shell acts as, then $AWS_PROFILE, then "default")
  ]

  # Check the config files: lost indentation, mistyped keys, dangling references, keys that win silently, secrets in the wrong file; each finding with file:line and the fix
  export extern "awsenv lint" [
    --json                    # One JSON array (severity, rule, at, profile, message, fix) instead of lines
    --help(-h)                # Print help
    ...profiles: string       # Only findings about these profiles
  ]

  # Check this machine's setup: the shell hook and its binary, completion, awsenv-fetch, both files, the cache directory, SSO logins, the clock (--online) and the lint findings
  export extern "awsenv doctor" [
    --online                  # Also compare this machine's clock with STS's (one unsigned request, no credentials)
    --json                    # One JSON object instead of lines (see below)
    --help(-h)                # Print help
  ]

  def "nu-complete awsenv serve shell" [] {
    [ "sh" "bash" "zsh" "fish" "pwsh" "nu" "elvish" "tcsh" ]
  }

  def "nu-complete awsenv serve format" [] {
    [ "shell" "json" "dotenv" ]
  }

  # Serve a profile's credentials on a local endpoint that every AWS SDK can poll (the container credential provider), renewed ahead of expiry
  export extern "awsenv serve" [
    --port: string            # The port (default: a free one)
    --bind: string            # The loopback address to listen on (default 127.0.0.1; nothing else is accepted)
    --detach                  # Serve in the background until this shell ends (or `serve --stop`), printing at once
    --stop                    # Stop the server this shell started with --detach and print what removes its variables
    --shell: string@"nu-complete awsenv serve shell" # The shell whose syntax to print
    --format: string@"nu-complete awsenv serve format" # Print shell code, or a format for tools
    --region: string          # Use this region instead of the profile's
    --export-profile          # Also set AWS_PROFILE to the profile name (see below for why it is off by default)
    --refresh                 # Fetch new credentials even if cached ones are still valid
    --no-cache                # Neither read nor write the credential cache
    --mfa-code: string        # The current code of the profile's MFA device (otherwise it is asked for on the terminal)
    --role-arn: string        # Assume this role on top of the profile (with no PROFILE: on top of what this shell acts as now); nothing is written to your files
    --external-id: string     # The external id the role's trust policy asks for (with --role-arn)
    --session-name: string    # The role session's name (with --role-arn; default awsenv-USER-TIME)
    --role-duration: string   # How long the role's credentials last, in seconds or as 1h30m (with --role-arn; 15m to 12h, at most 1h for a role assumed with a role's credentials)
    --mfa-serial: string      # The MFA device the role's trust policy requires (with --role-arn; a code is asked for)
    --print                   # Print the statements even when stdout is a terminal (they hold the endpoint's token)
    --help(-h)                # Print help (see more with '--help')
    profile?: string          # The profile (default: the one this shell acts as)
  ]

  # IAM Identity Center at organisation scale: a profile for every account and role you are assigned (`sso sync`), or the one you pick (`sso add`)
  export extern "awsenv sso" [
    --help(-h)                # Print help
  ]

  # Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported
  export extern "awsenv sso sync" [
    --sso-session: string     # The sso-session to sync (repeatable; default: every one with a block, or the only one)
    --dry-run                 # Print the changes as a diff and write nothing
    --name: string            # The profile name (default: {account_name}/{role_name})
    --region: string          # `region` for every profile
    --output: string          # `output` for every profile
    --extra: string           # One more `key = value` line for every profile (repeatable; placeholders allowed)
    --help(-h)                # Print help
  ]

  # Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)
  export extern "awsenv sso add" [
    --sso-session: string     # The sso-session (default: the only one, or pick one)
    --name: string            # The profile name (default: {account_name}/{role_name})
    --region: string          # `region` for every profile
    --output: string          # `output` for every profile
    --extra: string           # One more `key = value` line for every profile (repeatable; placeholders allowed)
    --help(-h)                # Print help
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv sso help" [
  ]

  # Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported
  export extern "awsenv sso help sync" [
  ]

  # Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)
  export extern "awsenv sso help add" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv sso help help" [
  ]

  # Long-term access keys in a secret store (the OS's, or an encrypted file) instead of plaintext in ~/.aws/credentials
  export extern "awsenv keys" [
    --help(-h)                # Print help
  ]

  # Store keys for PROFILE, typed on the terminal (never on the command line)
  export extern "awsenv keys add" [
    --store: string           # os or file (default: AWSENV_KEY_STORE, else os)
    --help(-h)                # Print help
    profile: string
  ]

  # Move PROFILE's keys out of the credentials (or config) file into the store
  export extern "awsenv keys import" [
    --store: string           # os or file (default: AWSENV_KEY_STORE, else os)
    --help(-h)                # Print help
    profile: string
  ]

  # The profiles with stored keys and their key ids (never a secret)
  export extern "awsenv keys list" [
    --help(-h)                # Print help
  ]

  # Remove PROFILE's stored keys and its credential_process line
  export extern "awsenv keys rm" [
    --help(-h)                # Print help
    profile: string
  ]

  # Replace PROFILE's key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day's MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require
  export extern "awsenv keys rotate" [
    --mfa-code: string        # The MFA code, when the user has an MFA device and no MFA session is cached
    --help(-h)                # Print help
    profile: string
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv keys help" [
  ]

  # Store keys for PROFILE, typed on the terminal (never on the command line)
  export extern "awsenv keys help add" [
  ]

  # Move PROFILE's keys out of the credentials (or config) file into the store
  export extern "awsenv keys help import" [
  ]

  # The profiles with stored keys and their key ids (never a secret)
  export extern "awsenv keys help list" [
  ]

  # Remove PROFILE's stored keys and its credential_process line
  export extern "awsenv keys help rm" [
  ]

  # Replace PROFILE's key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day's MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require
  export extern "awsenv keys help rotate" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv keys help help" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv help" [
  ]

  # Print the statements that make this shell act as PROFILE
  export extern "awsenv help use" [
  ]

  # Run a command with the profile's credentials in its environment (it replaces awsenv, so its exit status and signals are the command's own), or with --server from an endpoint that keeps them fresh for as long as it runs
  export extern "awsenv help exec" [
  ]

  # Ask STS who the credentials belong to (GetCallerIdentity)
  export extern "awsenv help whoami" [
  ]

  # Log in to IAM Identity Center (as `aws sso login` does; the token is shared with the CLI)
  export extern "awsenv help login" [
  ]

  # End IAM Identity Center logins: the portal session and the cached token
  export extern "awsenv help logout" [
  ]

  # Print the profile's credentials as `credential_process` JSON, so that any SDK or tool can use awsenv's cache, MFA handling and SSO renewal
  export extern "awsenv help credential-process" [
  ]

  # Open the AWS console signed in as the profile (or print the sign-in URL)
  export extern "awsenv help console" [
  ]

  # Print the shell integration: the `awsenv` wrapper that changes this shell, the prompt hook that renews credentials before they expire, and profile-name completion
  export extern "awsenv help init" [
  ]

  # Renew a profile's cached credentials ahead of expiry, silently (the shell hook starts it in the background; at most one runs per profile)
  export extern "awsenv help refresh" [
  ]

  # Print the active profile and the time its credentials have left, for a prompt (reads only the environment)
  export extern "awsenv help prompt" [
  ]

  # Profile names for shell completion (fast: reads only section headers)
  export extern "awsenv help __complete" [
  ]

  # Print the statements that remove everything awsenv set
  export extern "awsenv help unset" [
  ]

  # Forget what awsenv has cached for profiles: role, SSO role and credential_process credentials (with --mfa the MFA session too; --all: every entry)
  export extern "awsenv help clear" [
  ]

  # Write a profile's temporary credentials into your credentials file as a section of its own, for tools that read only that file (with --watch, kept fresh)
  export extern "awsenv help write-credentials" [
  ]

  # List the profiles with their kind, region and source file
  export extern "awsenv help list" [
  ]

  # Show how a profile gets its credentials, step by step, with file:line (no secrets, no network)
  export extern "awsenv help explain" [
  ]

  # Check the config files: lost indentation, mistyped keys, dangling references, keys that win silently, secrets in the wrong file; each finding with file:line and the fix
  export extern "awsenv help lint" [
  ]

  # Check this machine's setup: the shell hook and its binary, completion, awsenv-fetch, both files, the cache directory, SSO logins, the clock (--online) and the lint findings
  export extern "awsenv help doctor" [
  ]

  # Serve a profile's credentials on a local endpoint that every AWS SDK can poll (the container credential provider), renewed ahead of expiry
  export extern "awsenv help serve" [
  ]

  # IAM Identity Center at organisation scale: a profile for every account and role you are assigned (`sso sync`), or the one you pick (`sso add`)
  export extern "awsenv help sso" [
  ]

  # Write a profile for every account and role of the login into a managed block of the config file, and keep it in step: added, changed and removed profiles are reported
  export extern "awsenv help sso sync" [
  ]

  # Pick one account and role from the portal and add its profile (the flow of `aws configure sso`, in one command)
  export extern "awsenv help sso add" [
  ]

  # Long-term access keys in a secret store (the OS's, or an encrypted file) instead of plaintext in ~/.aws/credentials
  export extern "awsenv help keys" [
  ]

  # Store keys for PROFILE, typed on the terminal (never on the command line)
  export extern "awsenv help keys add" [
  ]

  # Move PROFILE's keys out of the credentials (or config) file into the store
  export extern "awsenv help keys import" [
  ]

  # The profiles with stored keys and their key ids (never a secret)
  export extern "awsenv help keys list" [
  ]

  # Remove PROFILE's stored keys and its credential_process line
  export extern "awsenv help keys rm" [
  ]

  # Replace PROFILE's key with a new one (IAM CreateAccessKey, checked with GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A user with an MFA device (mfa_serial) rotates through the day's MFA session, asking for a code when there is none, as "manage your own keys only with MFA" policies require
  export extern "awsenv help keys rotate" [
  ]

  # Print this message or the help of the given subcommand(s)
  export extern "awsenv help help" [
  ]

}

export use completions *
