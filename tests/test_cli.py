from click.testing import CliRunner

from vanban import __version__
from vanban.cli import main


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_is_vietnamese():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Cách dùng:" in result.output and "Các lệnh" in result.output
    assert "Show this message" not in result.output


def test_unknown_command_is_usage_error():
    result = CliRunner().invoke(main, ["khong-co"])
    assert result.exit_code == 2
    assert "Không có lệnh" in result.output


def test_option_marks_and_extra_arguments_are_vietnamese():
    help_text = CliRunner().invoke(main, ["generate", "--help"]).output
    assert "[bắt buộc]" in help_text and "[required]" not in help_text
    result = CliRunner().invoke(main, ["rules", "VB101", "VB102", "thừa"])
    assert result.exit_code == 2  # rules takes at most one ID
    assert "Thừa các tham số (VB102 thừa)" in result.output


def _all_command_paths():
    import click

    from vanban.cli import COMMANDS

    paths = []
    for name in COMMANDS:
        paths.append([name])
        command = main.get_command(None, name)
        if isinstance(command, click.Group):
            paths.extend([name, sub] for sub in command.commands)
    return paths


def test_every_help_page_is_vietnamese():
    import re

    english = re.compile(r"\b(TEXT|INTEGER|FLOAT|FILE|FILES|PATH|DIRECTORY|OPTIONS|COMMAND|ARGS|RANGE|"
                         r"Usage|Options|Commands|required|default)\b")
    for path in _all_command_paths():
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert not english.findall(result.output), (path, english.findall(result.output))
