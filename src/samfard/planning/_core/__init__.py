"""The compiled dial-a-ride engine (C++ with nanobind), built when the package is installed.

`_engine` is the extension module; `samfard.planning.native_engine` is its typed face and
the only caller. The C++ sources live next to this file (see docs/planning.md).
"""
