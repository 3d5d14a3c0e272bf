"""``vanban user``: accounts of the web page (``vanban serve``)."""

from __future__ import annotations

import click

from ..errors import ConfigError

ROLE_CHOICES = ("chuyen_vien", "lanh_dao", "quan_tri")


def _store(data_dir):
    """The web page's store in ``data_dir``; a folder that cannot be written is a Vietnamese error (exit 4)."""
    from ..errors import OutputError
    from ..web.app import vanban_data_dir
    from ..web.store import WebStore

    folder = vanban_data_dir(data_dir)
    try:
        return WebStore(folder)
    except OSError as exc:
        raise OutputError(f"không tạo hoặc ghi được thư mục dữ liệu ({exc.strerror})", folder) from None


def _hashed(password: str) -> str:
    from ..web.security import hash_password

    try:
        return hash_password(password)
    except ValueError as exc:  # too short
        raise click.UsageError(str(exc).capitalize() + ".") from None


DATA_OPTION = click.option("--data", "data_dir", type=click.Path(file_okay=False), metavar="THƯ_MỤC",
                           help="Thư mục dữ liệu của trang web (như `vanban serve --data`).")


@click.group(name="user")
def user_group():
    """Tài khoản người dùng của trang web."""


@user_group.command(name="add")
@click.argument("username", metavar="TÊN_ĐĂNG_NHẬP")
@click.option("--name", "full_name", required=True, metavar="HỌ_TÊN", help="Họ và tên.")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default="chuyen_vien", show_default=True, metavar="VAI_TRÒ",
              help="Vai trò: chuyen_vien (kiểm tra, soạn thảo), lanh_dao (xem tất cả), quan_tri (người dùng).")
@click.password_option("--password", prompt="Mật khẩu", confirmation_prompt="Nhập lại mật khẩu",
                       metavar="MẬT_KHẨU", help="Mật khẩu (ít nhất 8 ký tự); không ghi thì được hỏi.")
@DATA_OPTION
def user_add(username, full_name, role, password, data_dir):
    """Tạo tài khoản mới."""
    from ..web.store import ROLES

    hashed = _hashed(password)  # a refused password creates no data folder
    store = _store(data_dir)
    if store.user_row(username) is not None:
        raise ConfigError(f"tên đăng nhập '{username}' đã có", store.db_path)
    store.add_user(username, " ".join(full_name.split()), role, hashed)
    click.echo(f"Đã tạo tài khoản {username} ({ROLES[role]}) trong {store.db_path}.")


@user_group.command(name="passwd")
@click.argument("username", metavar="TÊN_ĐĂNG_NHẬP")
@click.password_option("--password", prompt="Mật khẩu mới", confirmation_prompt="Nhập lại mật khẩu",
                       metavar="MẬT_KHẨU", help="Mật khẩu mới (ít nhất 8 ký tự); không ghi thì được hỏi.")
@DATA_OPTION
def user_passwd(username, password, data_dir):
    """Đặt mật khẩu mới; các phiên đang mở của tài khoản kết thúc."""
    store = _store(data_dir)
    if store.user_row(username) is None:
        raise ConfigError(f"không có tài khoản '{username}'", store.db_path)
    hashed = _hashed(password)
    store.set_password(username, hashed)
    click.echo(f"Đã đặt mật khẩu mới cho {username}.")


@user_group.command(name="list")
@DATA_OPTION
def user_list(data_dir):
    """Liệt kê tài khoản."""
    for u in _store(data_dir).users():
        click.echo(f"{u.username:20} {u.role_label:12} {u.full_name}")
