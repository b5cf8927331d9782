{{! Settings shared by aastra.cfg, <model>.cfg and <MAC>.cfg.  Names from
    wazo-provd-plugins' wazo_aastra common/templates/base.tpl and the
    administrator guide's "Time Zone & DST" section.  The time zone is
    "Custom": time zone minutes counts WEST of UTC (-60 for UTC+1), dst
    config 3 = automatic by the rules below, relative dates (week and day,
    day 1 = Sunday, week -1 = the last one; wazo_aastra common.py
    _format_tzinfo, which also caps the hour at 23 and the saving at 60
    minutes; deskprov writes the rule as tzdata has it, see src/lib/tz.h).  The
    guide's "dst [start|end] relative date" is two parameters, written as
    such. }}
{{#ntp_primary}}
time server disabled: 0
time server1: {{ntp_primary}}
{{/ntp_primary}}
{{#ntp_secondary}}
time server2: {{ntp_secondary}}
{{/ntp_secondary}}
{{#timezone}}
time zone name: Custom
time zone minutes: {{offset_minutes_west}}
{{#dst}}
dst config: 3
dst minutes: {{saving_minutes}}
dst start relative date: 1
dst start month: {{start.month}}
dst start week: {{#start.last}}-1{{/start.last}}{{^start.last}}{{start.week}}{{/start.last}}
dst start day: {{start.weekday_sun1}}
dst start hour: {{start.hour}}
dst end relative date: 1
dst end month: {{end.month}}
dst end week: {{#end.last}}-1{{/end.last}}{{^end.last}}{{end.week}}{{/end.last}}
dst end day: {{end.weekday_sun1}}
dst end hour: {{end.hour}}
{{/dst}}
{{^dst}}
dst config: 0
{{/dst}}
{{/timezone}}
{{#firmware.offer}}
{{#firmware.url}}
upgrade uri: {{firmware.url}}
{{/firmware.url}}
{{/firmware.offer}}
