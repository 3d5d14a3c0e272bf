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
