# awsenv shell integration for elvish. Load it from ~/.config/elvish/rc.elv with:
#   eval (awsenv init elvish | slurp)

use math
use str

var __awsenv_bin = __AWSENV_BIN__
var __awsenv_exe = (external $__awsenv_bin)
var __awsenv_key = ''
var __awsenv_retry_at = 0
var __awsenv_backoff = 30
var __awsenv_failing = $false
var __awsenv_ahead = ''

# Apply `awsenv use --format json` output: a string sets a variable, null removes it. No text is
# ever evaluated as code.
fn __awsenv_apply {|changes|
  keys $changes | each {|name|
    if (eq $changes[$name] $nil) {
      unset-env $name
    } else {
      set-env $name $changes[$name]
    }
  }
}

# Elvish has no clock in seconds since the epoch. Linux keeps the boot time (read once) and the
# time since boot (read per prompt) in files, so reading them starts no process; elsewhere this
# costs one `date`.
var __awsenv_boot = $nil
try {
  from-lines < /proc/stat | each {|line|
    if (str:has-prefix $line 'btime ') {
      set __awsenv_boot = (num (str:trim-prefix $line 'btime '))
    }
  }
} catch {
  set __awsenv_boot = $nil
}
fn __awsenv_now {
  if (eq $__awsenv_boot $nil) {
    num (e:date +%s)
  } else {
    var uptime = [(str:split ' ' (slurp < /proc/uptime))][0]
    + $__awsenv_boot (num $uptime)
  }
}

fn __awsenv_digits {|value|
  and (!=s $value '') (eq (str:trim-left $value 0123456789) '')
}

# AWSENV_PROMPT holds what `awsenv prompt` prints ("prod 42m"), kept up to date for the prompt.
# The hook passes the seconds left it has just worked out.
fn __awsenv_prompt_update {|&left=$nil|
  var profile = $E:AWSENV_PROFILE
  var shown = $profile
  if (!=s $E:AWSENV_SHOWN '') {
    set shown = $E:AWSENV_SHOWN
  }
  var text = $shown
  if (eq $left $nil) {
    if (and (!=s $profile '') (__awsenv_digits $E:AWSENV_EXPIRES_AT)) {
      set left = (exact-num (math:floor (- (num $E:AWSENV_EXPIRES_AT) (__awsenv_now))))
    }
  }
  if (eq $left $nil) {
    nop
  } elif (<= $left 0) {
    set text = $shown' expired'
  } elif (< $left 60) {
    set text = $shown' '$left's'
  } elif (< $left 3600) {
    set text = $shown' '(math:floor (/ $left 60))'m'
  } else {
    set text = (printf '%s %dh%02dm' $shown (math:floor (/ $left 3600)) (math:floor (/ (% $left 3600) 60)))
  }
  set-env AWSENV_PROMPT $text
}

# `awsenv use` and `awsenv unset` change this shell; every other command runs as it is.
fn awsenv {|@args|
  var passthrough = $false
  for arg $args {
    if (or (has-value [-h --help --format --shell] $arg) (str:has-prefix $arg '--format=') (str:has-prefix $arg '--shell=')) {
      set passthrough = $true
    }
  }
  if (and (> (count $args) 0) (has-value [use unset] $args[0]) (not $passthrough)) {
    var changes = $nil
    try {
      set changes = ($__awsenv_exe $args[0] --shell elvish --format json (all $args[1..]) | from-json)
    } catch e {
      fail 'awsenv '$args[0]' failed'
    }
    __awsenv_apply $changes
    __awsenv_prompt_update
  } elif (and (> (count $args) 0) (eq $args[0] clear) (not $passthrough)) {
    # What this shell holds may be what was forgotten: the next prompt renews it.
    $__awsenv_exe $@args
    if (!=s $E:AWSENV_EXPIRES_AT '') {
      set-env AWSENV_EXPIRES_AT 0
    }
    set __awsenv_retry_at = 0
  } else {
    $__awsenv_exe $@args
  }
}

# On each prompt: nothing to do while the credentials are fresh (no process is started on Linux).
# Within AWSENV_REFRESH_AHEAD (20 min) of expiry, one detached `awsenv refresh` renews the shared
# cache; within AWSENV_REFRESH_BEFORE (10 min), `awsenv use --hook` takes the new credentials.
# Each is tried once per expiry, so a refresh that needs a person warns once, not every prompt.
fn __awsenv_hook {
  var profile = $E:AWSENV_PROFILE
  var expires = $E:AWSENV_EXPIRES_AT
  if (and (!=s $profile '') (__awsenv_digits $expires)) {
    var before = 600
    if (__awsenv_digits $E:AWSENV_REFRESH_BEFORE) {
      set before = (num $E:AWSENV_REFRESH_BEFORE)
    }
    var ahead = 1200
    if (__awsenv_digits $E:AWSENV_REFRESH_AHEAD) {
      set ahead = (num $E:AWSENV_REFRESH_AHEAD)
    }
    var left = (exact-num (math:floor (- (num $expires) (__awsenv_now))))
    var key = $profile':'$expires
    if (< $left $before) {
      # A failed renewal is tried again after AWSENV_RETRY_AFTER (30 s), then twice as long each
      # time up to 10 minutes: its error shows once per outage, and its end is said.
      var base = 30
      if (__awsenv_digits $E:AWSENV_RETRY_AFTER) {
        set base = (num $E:AWSENV_RETRY_AFTER)
      }
      if (!=s $__awsenv_key $key) {
        set __awsenv_key = $key
        set __awsenv_retry_at = 0
        set __awsenv_backoff = $base
      }
      var now = (__awsenv_now)
      # Once the credentials have expired, a try at least every minute, whatever the backoff.
      if (and (<= $left 0) (> $__awsenv_retry_at (+ $now 60))) {
        set __awsenv_retry_at = (+ $now 60)
      }
      if (>= $now $__awsenv_retry_at) {
        set __awsenv_retry_at = (+ $now $__awsenv_backoff)
        try {
          if $__awsenv_failing {
            __awsenv_apply ($__awsenv_exe use --shell elvish --format json --hook -- $profile 2> /dev/null | from-json)
            echo 'awsenv: renewed profile '$profile' again' >&2
          } else {
            __awsenv_apply ($__awsenv_exe use --shell elvish --format json --hook -- $profile | from-json)
          }
          set __awsenv_failing = $false
          set __awsenv_backoff = $base
        } catch {
          set __awsenv_failing = $true
          set __awsenv_backoff = (math:min 600 (* $__awsenv_backoff 2))
        }
        set left = $nil
      }
    } elif (and (< $left $ahead) (!=s $__awsenv_ahead $key)) {
      set __awsenv_ahead = $key
      try {
        $__awsenv_exe refresh --detach -- $profile > /dev/null 2> /dev/null
      } catch {
        nop
      }
    }
    __awsenv_prompt_update &left=$left
  } else {
    __awsenv_prompt_update
  }
}

# Tab completion: subcommands, and profile names read live from the config files.
fn __awsenv_complete {|@words|
  var n = (count $words)
  if (and (>= $n 3) (eq $words[-2] --sso-session)) {
    try {
      $__awsenv_exe __complete sso-sessions $words[-1] 2> /dev/null | from-lines
    } catch {
      nop
    }
  } elif (<= $n 2) {
    put use unset clear list explain exec whoami console login logout credential-process write-credentials prompt refresh init lint doctor serve sso keys
  } elif (and (== $n 3) (has-value [use clear explain exec whoami console login logout credential-process write-credentials refresh serve] $words[1])) {
    # Each profile with its kind and region beside it.
    try {
      $__awsenv_exe __complete described-profiles $words[2] 2> /dev/null | from-lines | each {|line|
        var parts = [(str:split "\t" $line)]
        edit:complex-candidate $parts[0] &display=$parts[0]' ('$parts[-1]')'
      }
    } catch {
      nop
    }
  }
}

# The line editor exists only in an interactive shell (the name `edit:` does not even compile
# elsewhere); there the wrapper, the hook and the completer are handed to the REPL, since this
# file runs in a namespace of its own. Sourced twice, hooked once.
var editor = (try { eval 'put $edit:' } catch { put $nil })
if (not-eq $editor $nil) {
  var names = [&edit:=$editor &awsenv~=$awsenv~ &__awsenv_hook~=$__awsenv_hook~ &__awsenv_complete~=$__awsenv_complete~]
  eval &ns=(ns $names) '
    edit:add-var awsenv~ $awsenv~
    edit:add-var __awsenv_hook~ $__awsenv_hook~
    fn mine {|hook| try { eq $hook[body] $__awsenv_hook~[body] } catch { put $false } }
    set edit:before-readline = [(each {|hook| if (not (mine $hook)) { put $hook } } $edit:before-readline) $__awsenv_hook~]
    set edit:completion:arg-completer[awsenv] = $__awsenv_complete~
  '
}

# For `awsenv doctor`, read by children: this shell, its PID, the hook's version and binary.
set-env AWSENV_HOOK 'elvish:'$pid':__AWSENV_VERSION__:'$__awsenv_bin

__awsenv_prompt_update
