"""Dates and times: now, formats, Unix timestamps, date arithmetic, calendars."""
from ..intent import intent

INTENTS = [
    intent("date.now", "date", "date|time|day|today|now", "current what show print display is it today's", explain="the current date and time"),
    intent("date.iso", "date +%F", "iso|yyyy-mm-dd|ymd", "date format current today show print in", explain="today's date as YYYY-MM-DD"),
    intent("date.iso_datetime", "date -u +%Y-%m-%dT%H:%M:%SZ", "iso|iso-8601|8601|rfc3339 time|datetime|timestamp", "date format current utc show print in",
           explain="the current UTC time in ISO 8601 format"),
    intent("date.epoch", "date +%s", "timestamp|epoch|unix", "current time now second print get show since what", explain="seconds since the Unix epoch"),
    intent("date.from_epoch", "date -d @<n>", "timestamp|epoch|unix|convert", "date human readable to from time", macos="date -r <n>",
           explain="the date for Unix timestamp <n>"),
    intent("date.days_ago", "date -d '<n> days ago' +%F", "ago|before|back day", "date what was show print", macos="date -v-<n>d +%F",
           explain="the date <n> days ago"),
    intent("date.days_ahead", "date -d '<n> days' +%F", "day", "date what will be now later future ahead hence time show print",
           avoid="ago before back", macos="date -v+<n>d +%F", explain="the date <n> days from now"),
    intent("date.yesterday", "date -d yesterday +%F", "yesterday", "date what was show print", macos="date -v-1d +%F", explain="yesterday's date"),
    intent("date.tomorrow", "date -d tomorrow +%F", "tomorrow", "date what will be show print give get display", macos="date -v+1d +%F", explain="tomorrow's date"),
    intent("date.utc", "date -u", "utc|gmt|zulu", "time date current now what show print display in", explain="the current time in UTC"),
    intent("date.cal", "cal", "calendar|cal", "show month this current display print", explain="this month's calendar"),
    intent("date.cal.year", "cal -y", "calendar|cal year", "show whole this current display print", explain="this year's calendar"),
    intent("date.weekday", "date +%A", "day|weekday week|weekday", "what today show which name", explain="today's day of the week"),
    intent("date.week_number", "date +%V", "week number", "what current show which iso", explain="the ISO week number"),
    intent("date.month", "date +%B", "month", "what current show which name", explain="the current month"),
    intent("date.year", "date +%Y", "year", "what current show which", explain="the current year"),
    intent("date.time_only", "date +%H:%M:%S", "time clock|only|just|hour", "current what show", explain="the current time"),
    intent("date.sync", "timedatectl set-ntp true", "sync|synchronize|ntp clock|time|ntp", "system enable", only="linux",
           explain="keep the clock synchronised over NTP"),
]
