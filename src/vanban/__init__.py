"""vanban: soạn và kiểm tra văn bản hành chính theo Nghị định 30/2020/NĐ-CP."""

__version__ = "0.1.0"
