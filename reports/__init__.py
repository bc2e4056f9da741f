"""Per-Pemda HTML audit reports (email-ready, Bahasa Indonesia by default) and the index page."""

from reports.render import ReportFiles, RunInfo, prepare_reports, render_index, render_pemda, render_pemda_html

__all__ = ["ReportFiles", "RunInfo", "prepare_reports", "render_index", "render_pemda", "render_pemda_html"]
