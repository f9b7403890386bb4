"""English dates and times as this site writes them: "7 Nov 2026", "7 Nov 2026, 19:30".

Django's own English formats give "Nov. 7, 2026" in full and "11/07/2026" in short, which readers
outside the US misread, and "7:30 p.m." for times that are always Beijing time on a 24-hour clock
in the Chinese pages. Chinese keeps Django's zh_Hans formats (2026年11月7日 19:30).
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
