"""The promise: the shim works where torch is not installed, and can stand in for it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

import shim


@pytest.mark.skipif(
    os.environ.get("SHIM_EXPECT_NO_TORCH") != "1",
    reason="only the tox 'shim' environment guarantees that torch is absent",
)
def test_torch_is_not_installed():
    assert importlib.util.find_spec("torch") is None


def test_shim_never_imports_torch():
    code = "import sys, shim; shim.ones(2) + 1; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_python_m_shim_runs_a_torch_program(tmp_path):
    program = tmp_path / "prog.py"
    program.write_text("import torch, sys\nx = torch.ones(2, 2) + 1\nprint(x, sys.argv[1:], __name__)\n")
    result = subprocess.run([sys.executable, "-m", "shim", str(program), "a", "b"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "tensor([[2., 2.],\n        [2., 2.]]) ['a', 'b'] __main__\n"


def test_python_m_shim_dash_c():
    result = subprocess.run(
        [sys.executable, "-m", "shim", "-c", "import torch.cuda; print(torch.cuda.is_available())"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "False\n"


def test_install_is_reversible():
    shim.install()
    try:
        import torch

        assert torch is shim
        import torch.autograd

        assert torch.autograd is shim.autograd
    finally:
        shim.uninstall()
    assert "torch" not in sys.modules or sys.modules["torch"] is not shim


def test_out_of_scope_submodule_names_what_is_missing():
    shim.install()
    try:
        with pytest.raises(ModuleNotFoundError, match="torch.sparse is not implemented"):
            import torch.sparse  # noqa: F401
        import torch.distributions.normal as normal
        import torch.nn.functional as F
        import torch.optim.lr_scheduler as lr_scheduler
        import torch.utils.data as data

        assert F is shim.nn.functional
        assert normal.Normal is shim.distributions.Normal  # where the class's __module__ says it lives
        assert lr_scheduler is shim.optim.lr_scheduler and data is shim.utils.data
    finally:
        shim.uninstall()


def test_python_m_shim_tracebacks_show_the_program_not_the_shim(tmp_path):
    program = tmp_path / "broken.py"
    program.write_text("import torch\n\nx = torch.ones(2)\ny = x.view(3)\n")
    result = subprocess.run([sys.executable, "-m", "shim", str(program)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (
        "Traceback (most recent call last):\n"
        f'  File "{program}", line 4, in <module>\n'
        "    y = x.view(3)\n"
        "        ^^^^^^^^^\n"
        "RuntimeError: shape '[3]' is invalid for input of size 2\n"
    )


def test_python_m_shim_dash_m_runs_a_module_as_main(tmp_path):
    package = tmp_path / "tour"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text("import sys, torch\nprint(__name__, sys.argv[1:], torch.arange(3))\n")
    shim_root = os.path.dirname(os.path.dirname(shim.__file__))  # installed or the checkout
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), shim_root]))
    result = subprocess.run(
        [sys.executable, "-m", "shim", "-m", "tour", "x"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "__main__ ['x'] tensor([0, 1, 2])\n"


PROGRAMS = {  # what `python -m shim` must do exactly as `python` does, around programs that need no torch
    "missing.py": None,
    "syntax_error.py": "def (\n",
    "exit_code.py": "import sys\nprint('out')\nsys.exit(3)\n",
    "exit_message.py": "import sys\nsys.exit('bye')\n",
    "exit_none.py": "import sys\nsys.exit()\n",
    "raises.py": "def f():\n    raise ValueError('v')\n\nf()\n",
    "main_module.py": "import os, pickle, sys\nclass A: pass\n"
    "print(__name__, __file__ == os.path.abspath(sys.argv[0]), len(pickle.dumps(A())) > 0, sys.argv)\n",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_python_m_shim_runs_a_script_as_python_does(tmp_path, name):
    if PROGRAMS[name] is not None:
        (tmp_path / name).write_text(PROGRAMS[name])
    expected = subprocess.run([sys.executable, name, "arg"], capture_output=True, text=True, cwd=tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "shim", name, "arg"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_with_shim_on_path(),
    )
    assert (result.returncode, result.stdout, result.stderr) == (expected.returncode, expected.stdout, expected.stderr)


@pytest.mark.parametrize(
    "args", [["-m", "no_such_module"], ["-m", "no_such_package.sub"], ["-c", "def ("], ["-c", "raise SystemExit(4)"]]
)
def test_python_m_shim_options_behave_as_python_does(tmp_path, args):
    expected = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "shim", *args], capture_output=True, text=True, cwd=tmp_path, env=_with_shim_on_path()
    )
    assert (result.returncode, result.stdout, result.stderr) == (expected.returncode, expected.stdout, expected.stderr)


def _with_shim_on_path() -> dict:
    shim_root = os.path.dirname(os.path.dirname(shim.__file__))  # installed or the checkout
    return dict(os.environ, PYTHONPATH=shim_root)


@pytest.mark.skipif(
    not (sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")),
    reason="malloc's thresholds are glibc's",
)
def test_heap_keeps_freed_memory_unless_the_process_tunes_malloc(monkeypatch):
    from shim._cpu.heap import keep_freed_memory

    assert keep_freed_memory() is True
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")
    assert keep_freed_memory() is False
