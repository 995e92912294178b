"""Own fleet or procured: scenario SPECs (spec), planned and settled day by day (runner),
summed up (summary) and written as CSV, HTML and PDF (render, render_pdf)."""
