"""The Jinja sandbox for office templates, with limits on time, size, loops and recursion.

Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment` stops attribute escapes
(``__class__``, ``__globals__``) but not a template that runs for ever or fills
the memory: ``{{ "x" * 10**10 }}``, ``{% for i in range(10**5) %}`` nested,
``{{ 9**9**9 }}``, ``{{ "a"|center(10**9) }}``, a macro calling itself twice,
a namespace string doubled in a loop. :class:`BoundedSandbox` bounds each:

* ``*``, ``+``, ``%`` and ``**`` are intercepted (:meth:`call_binop`): a string
  or list may not grow past :data:`MAX_VALUE`, a power past :data:`MAX_POWER_BITS`;
  intercepted operators are never folded at compile time, so ``template check``
  cannot hang on them either;
* ``~`` (concatenation) is checked by the code generator (:class:`_CodeGenerator`);
* ``range`` yields at most :data:`MAX_RANGE` numbers; numeric arguments of filters
  and string methods (widths, lengths) at most :data:`MAX_ARGUMENT`;
* every call, output piece and range step checks a deadline (:data:`TIME_LIMIT`
  seconds per document) and the output of a part is at most :data:`MAX_OUTPUT`
  characters; in the main thread a timer stops a loop that makes no call at all;
* globals are only ``range``, ``dict`` and ``namespace`` (no ``lipsum``, ``cycler``,
  ``joiner``); there is no loader, so ``include``/``import``/``extends`` fail.

Every refusal is a :class:`TemplateLimit` (a Jinja ``SecurityError``) with a
Vietnamese message; the renderer adds the template's name.
"""

from __future__ import annotations

import math
import re
import signal
import threading
import time
import types
from contextlib import contextmanager
from typing import Any, Iterator

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ..guard import number_text

MAX_VALUE = 1_000_000  # characters of a string, items of a list, built inside a template
MAX_RANGE = 10_000
MAX_ARGUMENT = 100_000  # an int given to a filter or a string method (width, length, count)
MAX_POWER_BITS = 4096
MAX_OUTPUT = 20_000_000  # characters produced by one part of a .docx
MAX_CALLS = 2_000_000  # calls (macros, methods) while rendering one document
TIME_LIMIT = 20.0  # seconds to render one document
GLOBALS = ("range", "dict", "namespace")

_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_WIDTH = re.compile(r"\{[^{}]*?[:!][^{}]*?(\d{6,})")


class TemplateLimit(SecurityError):
    """A template went over a limit of the sandbox (the message is Vietnamese)."""


class _Budget(threading.local):
    deadline: float = math.inf
    calls: int = 0


_budget = _Budget()


def _tick() -> None:
    if time.monotonic() > _budget.deadline:
        raise TemplateLimit(f"mẫu chạy quá {TIME_LIMIT:.0f} giây (vòng lặp hoặc macro quá lớn)")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def _too_long(what: str = "chuỗi") -> None:
    raise TemplateLimit(f"mẫu tạo {what} quá dài (trên {number_text(MAX_VALUE)} ký tự hoặc phần tử)")


def _check_size(value: Any) -> Any:
    if _size(value) > MAX_VALUE:
        _too_long("danh sách" if isinstance(value, (list, tuple)) else "chuỗi")
    return value


def _check_argument(value: Any, where: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
        raise TemplateLimit(f"mẫu dùng số quá lớn ({number_text(value) if abs(value) < 10**30 else 'rất lớn'}) "
                            f"cho {where} (giới hạn {number_text(MAX_ARGUMENT)})")


def _check_format(text: str) -> None:
    for match in _FORMAT_WIDTH.finditer(text):
        for part in match.groups():
            if part == "*" or (part and int(part) > MAX_ARGUMENT):
                raise TemplateLimit("mẫu dùng định dạng '%' với độ rộng quá lớn")
    if _BRACE_WIDTH.search(text):
        raise TemplateLimit("mẫu dùng định dạng với độ rộng quá lớn")


def bounded_range(*args: int) -> Iterator[int]:
    for value in args:
        _check_argument(value, "range")
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"mẫu dùng range quá lớn ({number_text(len(numbers))} số; giới hạn "
                            f"{number_text(MAX_RANGE)})")
    return _ticking(numbers)


def _ticking(numbers: range) -> Iterator[int]:
    for index, value in enumerate(numbers):
        if index % 256 == 0:
            _tick()
        yield value


class _BoundedFilters(dict):
    """Filters looked up by compiled templates (``environment.filters[name]``) and by the constant
    folder (``.get``) come wrapped: numeric arguments bounded, string results bounded."""

    def __getitem__(self, name):
        return _bounded_filter(name, super().__getitem__(name))

    def get(self, name, default=None):
        return self[name] if name in self else default


def _bounded_filter(name: str, func):
    if getattr(func, "_vanban_bounded", False):
        return func

    def bounded(*args, **kwargs):
        _tick()
        for value in list(args[1:]) + list(kwargs.values()):
            _check_argument(value, f"bộ lọc '{name}'")
        if name == "replace" and len(args) >= 3 and isinstance(args[0], str):
            old, new = str(args[1]), str(args[2])
            grows = max(len(new) - len(old), 0) * (args[0].count(old) if old else len(args[0]) + 1)
            if len(args[0]) + grows > MAX_VALUE:
                _too_long()
        if name == "format" and args and isinstance(args[0], str):
            _check_format(args[0])
        return _check_size(func(*args, **kwargs))

    for attr in ("jinja_pass_arg", "__name__", "__doc__"):
        if hasattr(func, attr):
            try:
                setattr(bounded, attr, getattr(func, attr))
            except (AttributeError, TypeError):
                pass
    bounded._vanban_bounded = True
    return bounded


class _CodeGenerator(CodeGenerator):
    """``a ~ b`` is not an intercepted operator: the generated code checks its result."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.bounded_value(")
        super().visit_Concat(node, frame)
        self.write(")")


class _BoundedTemplate(jinja2.Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        try:
            pieces, size = [], 0
            for piece in self.root_render_func(ctx):
                size += len(piece)
                if size > MAX_OUTPUT:
                    raise TemplateLimit(f"mẫu sinh ra quá nhiều nội dung (trên {number_text(MAX_OUTPUT)} ký tự)")
                if len(pieces) % 256 == 0:
                    _tick()
                pieces.append(piece)
            return self.environment.concat(pieces)  # type: ignore[attr-defined]
        except Exception:
            self.environment.handle_exception()


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**", "+", "%"])
    code_generator_class = _CodeGenerator
    template_class = _BoundedTemplate

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = _BoundedFilters(self.filters)
        for name in list(self.globals):
            if name not in GLOBALS:
                del self.globals[name]
        self.globals["range"] = bounded_range

    def bounded_value(self, value: Any) -> Any:
        _tick()
        return _check_size(value)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * max(n, 0) > MAX_VALUE:
                    _too_long("danh sách" if isinstance(seq, (list, tuple)) else "chuỗi")
        elif operator == "**":
            if isinstance(left, (int, float)) and isinstance(right, (int, float)) and abs(left) > 1 and right > 0:
                if right * math.log2(abs(left)) > MAX_POWER_BITS:
                    raise TemplateLimit(f"mẫu tính lũy thừa quá lớn (trên {MAX_POWER_BITS} bit)")
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        return _check_size(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any):
        """``"{:>999999999}".format(x)``: Jinja wraps str.format on attribute access; the width is
        checked before anything is built."""
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text = value.__self__

        def bounded(*args, **kwargs):
            _tick()
            _check_format(text)
            for item in list(args) + list(kwargs.values()):
                _check_argument(item, "hàm 'format'")
            return _check_size(wrapper(*args, **kwargs))

        return bounded

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        _budget.calls += 1
        if _budget.calls > MAX_CALLS:
            raise TemplateLimit(f"mẫu gọi hàm hoặc macro quá nhiều lần (trên {number_text(MAX_CALLS)} lần)")
        _tick()
        if isinstance(__obj, types.BuiltinMethodType):  # str.center(10**9), "{:>999999999}".format(…)
            for value in list(args) + list(kwargs.values()):
                _check_argument(value, f"hàm '{getattr(__obj, '__name__', '?')}'")
            if getattr(__obj, "__name__", "") in ("format", "format_map") and isinstance(__obj.__self__, str):
                _check_format(__obj.__self__)
        return _check_size(super().call(__context, __obj, *args, **kwargs))


@contextmanager
def limits(seconds: float = TIME_LIMIT) -> Iterator[None]:
    """Render under the limits: a deadline for every check point, and in the main thread a timer
    that interrupts a loop with no check point (two loops over a long list that print nothing)."""
    _budget.deadline = time.monotonic() + seconds
    _budget.calls = 0
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    if alarm:
        def stop(signum, frame):
            raise TemplateLimit(f"mẫu chạy quá {seconds:.0f} giây (vòng lặp hoặc macro quá lớn)")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, seconds + 1)
    try:
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous or signal.SIG_DFL)
        _budget.deadline = math.inf


_UNDEFINED = re.compile(r"^'?(.+?)'? is undefined$|^'(.+?)' has no attribute '(.+?)'$")


def undefined_name(message: str | None) -> str:
    """Jinja's English "'x' is undefined" / "'dict object' has no attribute 'y'" as a field name."""
    match = _UNDEFINED.match(message or "")
    if match is None:
        return message or ""
    if match.group(1):
        return f"'{match.group(1)}'"
    return f"'{match.group(3)}'"
