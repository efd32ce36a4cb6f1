"""Package layout that pyproject.toml cannot express: shell/ ships inside the package as cmdai.shell.

The zsh, bash and fish scripts live at the top of the repository, where plugin managers find
them; in the wheel and the sdist they are the package data of ``cmdai.shell``, where
``cmdai --init`` reads them. Everything else about the project is in pyproject.toml.
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["cmdai", "cmdai.*"]) + ["cmdai.shell", "cmdai.shell.completions"],
    package_dir={"cmdai.shell": "shell"},
)
