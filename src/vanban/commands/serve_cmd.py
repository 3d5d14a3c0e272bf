"""``vanban serve``: the office's web page (see :mod:`vanban.web`)."""

from __future__ import annotations

import click


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ĐỊA_CHỈ", help="Địa chỉ lắng nghe (0.0.0.0: mọi máy trong mạng LAN).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), metavar="CỔNG", help="Cổng.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), metavar="THƯ_MỤC",
              help="Thư mục dữ liệu (CSDL SQLite, tệp đã nhận); mặc định $VANBAN_WEB_DATA hoặc ./vanban-data.")
@click.option("--office", "office_file", type=click.Path(exists=True, dir_okay=False),
              help="Hồ sơ cơ quan (mặc định <THƯ_MỤC>/vanban.yaml, không có thì hồ sơ mẫu).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 8), metavar="N",
              help="Số luồng kiểm tra hồ sơ chạy nền.")
@click.option("--max-upload-mb", default=200, show_default=True, type=click.IntRange(1, 2048), metavar="MB",
              help="Dung lượng tối đa của một lần tải lên (MB).")
@click.option("--secure-cookie", is_flag=True,
              help="Chỉ gửi cookie phiên qua HTTPS (bật khi trang chạy sau máy chủ HTTPS).")
def serve_command(host, port, data_dir, office_file, workers, max_upload_mb, secure_cookie):
    """Chạy trang web cho Văn phòng: tiếp nhận hồ sơ, soạn văn bản, theo dõi nhiệm vụ.

    Tạo tài khoản trước bằng `vanban user add --data THƯ_MỤC`.
    """
    from waitress import serve

    from ..web.app import create_app, vanban_data_dir
    from ..web.security import UploadLimits
    from .user_cmd import _store

    data = vanban_data_dir(data_dir)
    if not _store(data_dir).users():
        click.echo(f"Lưu ý: chưa có tài khoản nào; tạo bằng: vanban user add --data {data} TÊN --role quan_tri",
                   err=True)
    app = create_app(data, office_file=office_file, workers=workers, secure_cookies=secure_cookie,
                     limits=UploadLimits(max_request_bytes=max_upload_mb * 1024 * 1024))
    click.echo(f"vanban đang chạy tại http://{host}:{port}/ (dữ liệu: {data}); Ctrl+C để dừng.")
    serve(app, host=host, port=port, threads=8, ident="vanban")
