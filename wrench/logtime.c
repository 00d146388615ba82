/*
 * logtime.c - the timestamps of Java log records: recognising one at the start of a line
 * (the event splitter's boundary test), turning one into seconds since the epoch, and
 * parsing --since. See logtime.h.
 */
#include "logtime.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

#define MONTH_LEN 3

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* 1 or 2 digits at pos; their count, 0 when none. */
static size_t digits12(const char *s, size_t len, size_t pos)
{
    if (!digits_at(s, len, pos, 1))
        return 0;
    return digits_at(s, len, pos + 1, 1) ? 2 : 1;
}

static bool month_at(const char *s, size_t len, size_t pos)
{
    if (pos + MONTH_LEN > len)
        return false;
    for (size_t i = 0; i < sizeof(months) / sizeof(months[0]); i++)
        if (memcmp(s + pos, months[i], MONTH_LEN) == 0)
            return true;
    return false;
}

/* HH:MM:SS at pos (hour with 1 or 2 digits when `short_hour`); end offset or 0. */
static size_t time_at(const char *s, size_t len, size_t pos, bool short_hour)
{
    size_t h = short_hour ? digits12(s, len, pos) : (digits_at(s, len, pos, 2) ? 2 : 0);
    if (h == 0)
        return 0;
    pos += h;
    if (pos + 6 > len || s[pos] != ':' || !digits_at(s, len, pos + 1, 2) || s[pos + 3] != ':' ||
        !digits_at(s, len, pos + 4, 2))
        return 0;
    return pos + 6;
}

/* Optional fraction [.,]d+ at pos; the new end. */
static size_t fraction_at(const char *s, size_t len, size_t pos)
{
    if (pos + 1 < len && (s[pos] == '.' || s[pos] == ',') && digits_at(s, len, pos + 1, 1)) {
        pos++;
        while (pos < len && isdigit((unsigned char)s[pos]))
            pos++;
    }
    return pos;
}

/* Optional Z or +HH[:]MM / -HHMM zone at pos; the new end. */
static size_t zone_at(const char *s, size_t len, size_t pos)
{
    if (pos < len && s[pos] == 'Z')
        return pos + 1;
    if (pos < len && (s[pos] == '+' || s[pos] == '-') && digits_at(s, len, pos + 1, 2)) {
        size_t p = pos + 3;
        if (p < len && s[p] == ':')
            p++;
        if (digits_at(s, len, p, 2))
            return p + 2;
        return pos + 3;
    }
    return pos;
}

/* 2026-11-27[ T]02:19:18[.,123][Z|+01:00], also with '/' between the date parts. */
static size_t iso_at(const char *s, size_t len, size_t p)
{
    if (!digits_at(s, len, p, 4) || p + 10 > len)
        return 0;
    char sep = s[p + 4];
    if ((sep != '-' && sep != '/') || !digits_at(s, len, p + 5, 2) || s[p + 7] != sep ||
        !digits_at(s, len, p + 8, 2) || p + 11 > len || (s[p + 10] != ' ' && s[p + 10] != 'T'))
        return 0;
    size_t end = time_at(s, len, p + 11, false);
    if (!end)
        return 0;
    return zone_at(s, len, fraction_at(s, len, end));
}

/* 27-Nov-2026 02:19:18[.123] (Tomcat 8.5+ OneLineFormatter). */
static size_t tomcat_at(const char *s, size_t len, size_t p)
{
    if (!digits_at(s, len, p, 2) || p + 12 > len || s[p + 2] != '-' || !month_at(s, len, p + 3) ||
        s[p + 6] != '-' || !digits_at(s, len, p + 7, 4) || s[p + 11] != ' ')
        return 0;
    size_t end = time_at(s, len, p + 12, false);
    return end ? fraction_at(s, len, end) : 0;
}

/* Nov 27, 2026 2:19:18 AM (java.util.logging SimpleFormatter, Tomcat 7). */
static size_t jul_at(const char *s, size_t len, size_t p)
{
    if (!month_at(s, len, p) || p + 4 > len || s[p + 3] != ' ')
        return 0;
    size_t q = p + 4, d = digits12(s, len, q);
    if (!d)
        return 0;
    q += d;
    if (q + 7 > len || s[q] != ',' || s[q + 1] != ' ' || !digits_at(s, len, q + 2, 4) ||
        s[q + 6] != ' ')
        return 0;
    size_t end = time_at(s, len, q + 7, true);
    if (!end || end + 3 > len || s[end] != ' ')
        return 0;
    if ((s[end + 1] == 'A' || s[end + 1] == 'P') && s[end + 2] == 'M')
        return end + 3;
    return 0;
}

size_t logscan_timestamp(const char *s, size_t len, size_t *start)
{
    size_t p = len > 0 && s[0] == '[' ? 1 : 0, end;
    if ((end = iso_at(s, len, p)) || (end = tomcat_at(s, len, p)) || (end = jul_at(s, len, p))) {
        *start = p;
        return end - p;
    }
    /* Time only (logback status lines, %d{HH:mm:ss.SSS}): millis required to avoid
     * taking a message that merely starts with a time for a header. */
    end = time_at(s, len, p, false);
    if (end && end + 1 < len && (s[end] == '.' || s[end] == ',') && digits_at(s, len, end + 1, 3)) {
        *start = p;
        return fraction_at(s, len, end) - p;
    }
    return 0;
}

static int month_number(const char *s)
{
    for (int i = 0; i < 12; i++)
        if (strncmp(s, months[i], 3) == 0)
            return i;
    return -1;
}

static int64_t to_epoch(struct tm *tm, bool utc, int offset_minutes)
{
    /* mktime would turn the 45th of the 13th month into a date: refuse it instead */
    if (tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_mday < 1 || tm->tm_mday > 31 ||
        tm->tm_hour < 0 || tm->tm_hour > 23 || tm->tm_min < 0 || tm->tm_min > 59 ||
        tm->tm_sec < 0 || tm->tm_sec > 60)
        return -1;
    tm->tm_isdst = -1;
    int mday = tm->tm_mday, mon = tm->tm_mon;
    time_t t = utc ? timegm(tm) : mktime(tm);
    if (tm->tm_mday != mday || tm->tm_mon != mon) /* February 30th became March 2nd */
        return -1;
    return t == (time_t)-1 ? -1 : (int64_t)t - (int64_t)offset_minutes * 60;
}

/* The zone after an ISO time: 'Z', +hh:mm, +hhmm; *utc false when there is none. */
static void parse_zone(const char *p, bool *utc, int *offset_minutes)
{
    while (*p == '.' || *p == ',' || (*p >= '0' && *p <= '9'))
        p++;
    *utc = false;
    *offset_minutes = 0;
    int h, m;
    if (*p == 'Z') {
        *utc = true;
    } else if ((*p == '+' || *p == '-') &&
               (sscanf(p + 1, "%2d:%2d", &h, &m) == 2 || sscanf(p + 1, "%2d%2d", &h, &m) == 2)) {
        *utc = true;
        *offset_minutes = (*p == '-' ? -1 : 1) * (h * 60 + m);
    }
}

int64_t logscan_epoch(const char *ts)
{
    struct tm tm = {0};
    char mon[4] = "", ampm[3] = "";
    int consumed = 0;
    bool utc;
    int offset;
    if (sscanf(ts, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) == 6) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        parse_zone(ts + consumed, &utc, &offset);
        return to_epoch(&tm, utc, offset);
    }
    if (sscanf(ts, "%2d-%3[A-Za-z]-%4d %2d:%2d:%2d", &tm.tm_mday, mon, &tm.tm_year, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) == 6 &&
        (tm.tm_mon = month_number(mon)) >= 0) {
        tm.tm_year -= 1900;
        return to_epoch(&tm, false, 0);
    }
    if (sscanf(ts, "%3[A-Za-z] %d, %4d %d:%2d:%2d %2[AP]M", mon, &tm.tm_mday, &tm.tm_year,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, ampm) == 7 &&
        (tm.tm_mon = month_number(mon)) >= 0) {
        tm.tm_year -= 1900;
        tm.tm_hour = tm.tm_hour % 12 + (ampm[0] == 'P' ? 12 : 0);
        return to_epoch(&tm, false, 0);
    }
    return -1;
}

/* The key is ts without its seconds and their fraction ("H:MM:" or "HH:MM:" then two digits,
 * the time logscan_epoch reads), so ts and its minute differ by those seconds exactly (the
 * offset of local time changes on whole minutes only). */
int64_t logscan_epoch_cached(struct logscan_epoch_cache *cache, const char *ts)
{
    size_t n = strnlen(ts, LOGSCAN_EPOCH_KEY - 1);
    const char *c1 = memchr(ts, ':', n);
    size_t at = c1 ? (size_t)(c1 - ts) + 3 : n; /* the second ':' */
    if (ts[n] != '\0' || at + 2 >= n || ts[at] != ':' || !isdigit((unsigned char)ts[at + 1]) ||
        !isdigit((unsigned char)ts[at + 2]))
        return logscan_epoch(ts);
    int sec = (ts[at + 1] - '0') * 10 + (ts[at + 2] - '0');
    char key[LOGSCAN_EPOCH_KEY];
    memcpy(key, ts, n + 1);
    key[at + 1] = key[at + 2] = '0'; /* the minute: seconds 00, fraction and zone kept */
    size_t end = at + 3;
    if (key[end] == '.' || key[end] == ',') /* logscan_epoch skips a fraction: so may the key */
        for (end++; isdigit((unsigned char)key[end]); end++)
            key[end] = '0';
    size_t slot = 0;
    while (slot < LOGSCAN_EPOCH_SLOTS && strcmp(key, cache->key[slot]) != 0)
        slot++;
    if (slot == LOGSCAN_EPOCH_SLOTS) { /* a log may mix formats: a few minutes are kept */
        slot = cache->next++ % LOGSCAN_EPOCH_SLOTS;
        memcpy(cache->key[slot], key, n + 1);
        cache->value[slot] = logscan_epoch(key);
    }
    return cache->value[slot] < 0 ? logscan_epoch(ts) : cache->value[slot] + sec;
}

int logscan_parse_since(const char *text, int64_t now, int64_t *out)
{
    char unit = 0;
    unsigned long long n;
    int consumed = 0;
    if (sscanf(text, "%llu%c%n", &n, &unit, &consumed) == 2 && text[consumed] == '\0') {
        static const struct {
            char unit;
            int64_t seconds;
        } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}};
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
            if (unit == units[i].unit && n < (unsigned long long)(INT64_MAX / units[i].seconds)) {
                *out = now - (int64_t)n * units[i].seconds;
                return 0;
            }
        return -1;
    }
    /* a date alone, or a date and hh:mm without seconds, as people type them */
    char buf[64];
    int y, mo, d, h = 0, mi = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) == 3 && text[consumed] == '\0') {
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d 00:00:00", y, mo, d);
        text = buf;
    } else if (sscanf(text, "%4d-%2d-%2d%*1[ T]%2d:%2d%n", &y, &mo, &d, &h, &mi, &consumed) == 5 &&
               text[consumed] == '\0') {
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:00", y, mo, d, h, mi);
        text = buf;
    }
    int64_t t = logscan_epoch(text);
    if (t < 0)
        return -1;
    *out = t;
    return 0;
}

int64_t logscan_fraction_ms(const char *ts)
{
    const char *p = ts; /* after the last ":dd" */
    for (const char *c = ts; *c; c++)
        if (c[0] == ':' && isdigit((unsigned char)c[1]) && isdigit((unsigned char)c[2]))
            p = c + 3;
    int64_t ms = 0;
    if (p != ts && (*p == '.' || *p == ',')) {
        int digits = 0;
        for (p++; isdigit((unsigned char)*p) && digits < 3; p++, digits++)
            ms = ms * 10 + (*p - '0');
        for (; digits < 3; digits++)
            ms *= 10;
    }
    return ms;
}
