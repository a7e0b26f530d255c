"""Activation scripts for bash/zsh, fish, csh and PowerShell, written into `<venv>/bin`.

Each sets `VIRTUAL_ENV` to the venv root, puts its `bin` first on `PATH`, hides `PYTHONHOME`,
prefixes the prompt with `(<prompt>) ` unless `VIRTUAL_ENV_DISABLE_PROMPT` is set, sets
`VIRTUAL_ENV_PROMPT`, and defines `deactivate` to undo all of it, as stdlib `venv` does.
The root and prompt are quoted for each shell, so any path works.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

_PLACEHOLDER = re.compile(r"@(ROOT|PROMPT_PREFIX|PROMPT)@")

_BASH = """\
# Activate this virtual environment: `source bin/activate` from bash or zsh (do not run it).

deactivate () {
    # Put back what activation changed.
    if [ -n "${_OLD_VIRTUAL_PATH:-}" ] ; then
        PATH="${_OLD_VIRTUAL_PATH:-}"
        export PATH
        unset _OLD_VIRTUAL_PATH
    fi
    if [ -n "${_OLD_VIRTUAL_PYTHONHOME:-}" ] ; then
        PYTHONHOME="${_OLD_VIRTUAL_PYTHONHOME:-}"
        export PYTHONHOME
        unset _OLD_VIRTUAL_PYTHONHOME
    fi
    if [ -n "${_OLD_VIRTUAL_PS1:-}" ] ; then
        PS1="${_OLD_VIRTUAL_PS1:-}"
        export PS1
        unset _OLD_VIRTUAL_PS1
    fi
    unset VIRTUAL_ENV
    unset VIRTUAL_ENV_PROMPT
    # The shell may remember where commands were found in the old PATH.
    hash -r 2> /dev/null
    if [ ! "${1:-}" = "nondestructive" ] ; then
        unset -f deactivate
    fi
}

# Leave any environment that is active now, keeping this function.
deactivate nondestructive

VIRTUAL_ENV=@ROOT@
export VIRTUAL_ENV

_OLD_VIRTUAL_PATH="$PATH"
PATH="$VIRTUAL_ENV/bin:$PATH"
export PATH

if [ -n "${PYTHONHOME:-}" ] ; then
    _OLD_VIRTUAL_PYTHONHOME="${PYTHONHOME:-}"
    unset PYTHONHOME
fi

if [ -z "${VIRTUAL_ENV_DISABLE_PROMPT:-}" ] ; then
    _OLD_VIRTUAL_PS1="${PS1:-}"
    PS1=@PROMPT_PREFIX@"${PS1:-}"
    export PS1
fi

VIRTUAL_ENV_PROMPT=@PROMPT@
export VIRTUAL_ENV_PROMPT

hash -r 2> /dev/null
"""

_FISH = """\
# Activate this virtual environment: `source bin/activate.fish` from fish (do not run it).

function deactivate -d "Leave the virtual environment and restore the shell"
    if set -q _OLD_VIRTUAL_PATH
        set -gx PATH $_OLD_VIRTUAL_PATH
        set -e _OLD_VIRTUAL_PATH
    end
    if set -q _OLD_VIRTUAL_PYTHONHOME
        set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    if set -q _OLD_FISH_PROMPT_OVERRIDE
        set -e _OLD_FISH_PROMPT_OVERRIDE
        if functions -q _old_fish_prompt
            functions -e fish_prompt
            functions -c _old_fish_prompt fish_prompt
            functions -e _old_fish_prompt
        end
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    if test "$argv[1]" != "nondestructive"
        functions -e deactivate
    end
end

deactivate nondestructive

set -gx VIRTUAL_ENV @ROOT@
set -gx _OLD_VIRTUAL_PATH $PATH
set -gx PATH "$VIRTUAL_ENV/bin" $PATH

if set -q PYTHONHOME
    set -gx _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end

if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
    functions -c fish_prompt _old_fish_prompt
    function fish_prompt
        # Keep the exit status the old prompt would have shown.
        set -l old_status $status
        printf "%s%s%s" (set_color 4B8BBE) @PROMPT_PREFIX@ (set_color normal)
        echo "exit $old_status" | .
        _old_fish_prompt
    end
    set -gx _OLD_FISH_PROMPT_OVERRIDE "$VIRTUAL_ENV"
end

set -gx VIRTUAL_ENV_PROMPT @PROMPT@
"""

_CSH = """\
# Activate this virtual environment: `source bin/activate.csh` from csh or tcsh (do not run it).

@CSH_DEACTIVATE@

deactivate nondestructive

setenv VIRTUAL_ENV @ROOT@

set _OLD_VIRTUAL_PATH="$PATH"
setenv PATH "$VIRTUAL_ENV/bin:$PATH"

set _OLD_VIRTUAL_PROMPT="$prompt"
if (! "$?VIRTUAL_ENV_DISABLE_PROMPT") then
    set prompt = @PROMPT_PREFIX@"$prompt"
endif
setenv VIRTUAL_ENV_PROMPT @PROMPT@

alias pydoc python -m pydoc

rehash
"""

_POWERSHELL = """\
# Activate this virtual environment: dot-source it from PowerShell, `. bin/Activate.ps1`.

function global:deactivate ([switch]$NonDestructive) {
    # Put back what activation changed.
    if (Test-Path -Path Function:_OLD_VIRTUAL_PROMPT) {
        Copy-Item -Path Function:_OLD_VIRTUAL_PROMPT -Destination Function:prompt
        Remove-Item -Path Function:_OLD_VIRTUAL_PROMPT
    }
    if (Test-Path -Path Env:_OLD_VIRTUAL_PYTHONHOME) {
        Copy-Item -Path Env:_OLD_VIRTUAL_PYTHONHOME -Destination Env:PYTHONHOME
        Remove-Item -Path Env:_OLD_VIRTUAL_PYTHONHOME
    }
    if (Test-Path -Path Env:_OLD_VIRTUAL_PATH) {
        Copy-Item -Path Env:_OLD_VIRTUAL_PATH -Destination Env:PATH
        Remove-Item -Path Env:_OLD_VIRTUAL_PATH
    }
    if (Test-Path -Path Env:VIRTUAL_ENV) {
        Remove-Item -Path Env:VIRTUAL_ENV
    }
    if (Test-Path -Path Env:VIRTUAL_ENV_PROMPT) {
        Remove-Item -Path Env:VIRTUAL_ENV_PROMPT
    }
    if (-not $NonDestructive) {
        Remove-Item -Path Function:deactivate
    }
}

deactivate -NonDestructive

$env:VIRTUAL_ENV = @ROOT@

if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {
    function global:_OLD_VIRTUAL_PROMPT { "" }
    Copy-Item -Path Function:prompt -Destination Function:_OLD_VIRTUAL_PROMPT
    function global:prompt {
        Write-Host -NoNewline -ForegroundColor Green @PROMPT_PREFIX@
        _OLD_VIRTUAL_PROMPT
    }
}
$env:VIRTUAL_ENV_PROMPT = @PROMPT@

if (Test-Path -Path Env:PYTHONHOME) {
    Copy-Item -Path Env:PYTHONHOME -Destination Env:_OLD_VIRTUAL_PYTHONHOME
    Remove-Item -Path Env:PYTHONHOME
}

Copy-Item -Path Env:PATH -Destination Env:_OLD_VIRTUAL_PATH
$env:PATH = (Join-Path $env:VIRTUAL_ENV "bin") + [System.IO.Path]::PathSeparator + $env:PATH
"""


# csh has no functions; `deactivate` is one alias, which must stay on one line.
_CSH_DEACTIVATE = (
    'alias deactivate \'test $?_OLD_VIRTUAL_PATH != 0 && setenv PATH "$_OLD_VIRTUAL_PATH" && '
    "unset _OLD_VIRTUAL_PATH; rehash; test $?_OLD_VIRTUAL_PROMPT != 0 && "
    'set prompt="$_OLD_VIRTUAL_PROMPT" && unset _OLD_VIRTUAL_PROMPT; unsetenv VIRTUAL_ENV; '
    'unsetenv VIRTUAL_ENV_PROMPT; test "\\!:*" != "nondestructive" && unalias deactivate\''
)
_CSH = _CSH.replace("@CSH_DEACTIVATE@", _CSH_DEACTIVATE)


def _posix_quote(value: str) -> str:
    """Single-quoted for sh and csh: `'` becomes `'\\''`."""
    return "'" + value.replace("'", "'\\''") + "'"


def _fish_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _powershell_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# file name -> (template, quoting function)
_SCRIPTS = {
    "activate": (_BASH, _posix_quote),
    "activate.fish": (_FISH, _fish_quote),
    "activate.csh": (_CSH, _posix_quote),
    "Activate.ps1": (_POWERSHELL, _powershell_quote),
}


def _lookup(values: dict[str, str], match: re.Match[str]) -> str:
    return values[match.group(1)]


def activation_scripts(root: Path, prompt: str) -> dict[str, str]:
    """File name -> contents of each activation script for a venv at `root` showing `prompt`."""
    raw = {"ROOT": str(root), "PROMPT_PREFIX": f"({prompt}) ", "PROMPT": prompt}
    scripts: dict[str, str] = {}
    for name, (template, quote) in _SCRIPTS.items():
        values = {key: quote(value) for key, value in raw.items()}
        # One pass, so a root or prompt that contains a placeholder is not expanded again.
        scripts[name] = _PLACEHOLDER.sub(partial(_lookup, values), template)
    return scripts
