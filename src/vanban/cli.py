"""The ``vanban`` command: a thin shell over the library.

Each sub-command lives in ``vanban.commands.<name>`` and is imported only when
used, so ``vanban --help`` stays fast and one broken optional dependency does
not take every command down. Errors from the library (:class:`VanbanError`)
are printed here, once, in Vietnamese, with their exit code.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from . import __version__
from .errors import VanbanError, unexpected_exit_code, unexpected_message
from .i18n import install_click_vietnamese

install_click_vietnamese()

# command name → (module, attribute, short help shown by `vanban --help`)
COMMANDS = {
    "inspect": ("vanban.commands.inspect_cmd", "inspect_command", "Đọc và phân tích cấu trúc văn bản."),
    "check": ("vanban.commands.check_cmd", "check_command", "Kiểm tra hồ sơ trình trước khi tiếp nhận."),
    "rules": ("vanban.commands.check_cmd", "rules_command", "Liệt kê và giải thích các quy tắc kiểm tra."),
    "lint": ("vanban.commands.lint_cmd", "lint_command", "Kiểm tra thể thức văn bản (Nghị định 30)."),
    "fix": ("vanban.commands.lint_cmd", "fix_command", "Sửa thể thức văn bản Word (Nghị định 30)."),
    "generate": ("vanban.commands.generate_cmd", "generate_command", "Soạn văn bản từ mẫu và dữ liệu."),
    "template": ("vanban.commands.generate_cmd", "template_group", "Kiểm tra mẫu văn bản của cơ quan."),
    "init": ("vanban.commands.generate_cmd", "init_command", "Tạo hồ sơ cơ quan (vanban.yaml)."),
    "register": ("vanban.commands.generate_cmd", "register_group", "Sổ văn bản đi: xem và cấp số."),
    "tasks": ("vanban.commands.tasks_cmd", "tasks_group", "Theo dõi nhiệm vụ: đôn đốc, phê bình, báo cáo."),
    "serve": ("vanban.commands.serve_cmd", "serve_command", "Chạy trang web cho Văn phòng."),
    "user": ("vanban.commands.user_cmd", "user_group", "Tài khoản người dùng của trang web."),
}


def _localise_metavars(command: click.Command) -> None:
    """Click's default '[OPTIONS]' in usage lines, in Vietnamese, for nested commands too."""
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = "[TÙY CHỌN]"
    if isinstance(command, click.Group):
        if command.subcommand_metavar in (None, "COMMAND [ARGS]..."):
            command.subcommand_metavar = "LỆNH [THAM SỐ]..."
        for sub in command.commands.values():
            _localise_metavars(sub)


class VanbanGroup(click.Group):
    """Lazy sub-commands and one place that turns VanbanError into a message."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str):
        if name not in COMMANDS:
            return None
        module_name, attr, _ = COMMANDS[name]
        module = importlib.import_module(module_name)
        command = getattr(module, attr)
        _localise_metavars(command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, _, help_text) in COMMANDS.items()]
        with formatter.section("Các lệnh"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        from .outfiles import begin_run, discard_created

        begin_run()
        try:
            return super().invoke(ctx)
        except VanbanError as exc:
            discard_created()  # a failed run leaves no output behind
            click.echo(f"Lỗi: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug or an input no guard foresaw: one line, never a traceback
            discard_created()
            if os.environ.get("VANBAN_DEBUG"):
                raise
            click.echo(f"Lỗi: {unexpected_message(exc)}", err=True)
            ctx.exit(unexpected_exit_code(exc))


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=VanbanGroup, context_settings=CONTEXT_SETTINGS, options_metavar="[TÙY CHỌN]",
             subcommand_metavar="LỆNH [THAM SỐ]...")
@click.version_option(__version__, "-V", "--version", prog_name="vanban", message="%(prog)s %(version)s",
                      help="In phiên bản rồi thoát.")
def main() -> None:
    """vanban: soạn văn bản theo Nghị định 30/2020/NĐ-CP và kiểm tra hồ sơ trình
    cho Văn phòng UBND.

    Chạy `vanban LỆNH --help` để xem hướng dẫn của từng lệnh.
    Bật gợi ý lệnh cho bash: eval "$(_VANBAN_COMPLETE=bash_source vanban)".
    """


def run() -> None:  # pragma: no cover - used by `python -m vanban`
    main(prog_name="vanban")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
