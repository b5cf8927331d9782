{{! Settings shared by y0000000000XX.cfg (model.tpl) and <mac>.cfg
    (base.tpl): provisioning, firmware, time, language, web passwords.
    Names: those of wazo-provd-plugins' wazo_yealink/v87 templates and
    Tancredi's yealink.tmpl (docs/sources.md); time zone and DST encoding:
    wazo_yealink/v87/common.py _format_tz_info (start/end =
    month/week/weekday Mon=1/hour, week 5 = last). }}
{{#provisioning.url}}
static.auto_provision.server.url = {{provisioning.url}}
{{/provisioning.url}}
{{#provisioning.interval_minutes}}
static.auto_provision.repeat.enable = 1
static.auto_provision.repeat.minutes = {{provisioning.interval_minutes}}
{{/provisioning.interval_minutes}}
{{#firmware.offer}}
{{#firmware.url}}
static.firmware.url = {{firmware.url}}
{{/firmware.url}}
{{/firmware.offer}}
{{#ntp_primary}}
local_time.ntp_server1 = {{ntp_primary}}
{{/ntp_primary}}
{{#ntp_secondary}}
local_time.ntp_server2 = {{ntp_secondary}}
{{/ntp_secondary}}
{{#timezone}}
local_time.time_zone = {{offset_hours}}
{{#dst}}
local_time.summer_time = 1
local_time.dst_time_type = 1
local_time.start_time = {{start.month}}/{{start.week}}/{{start.weekday_mon1}}/{{start.hour}}
local_time.end_time = {{end.month}}/{{end.week}}/{{end.weekday_mon1}}/{{end.hour}}
local_time.offset_time = {{saving_minutes}}
{{/dst}}
{{^dst}}
local_time.summer_time = 0
{{/dst}}
{{/timezone}}
{{#language_name}}
lang.gui = {{language_name}}
lang.wui = {{language_name}}
{{/language_name}}
{{#admin_password}}
static.security.user_password = admin:{{admin_password}}
{{/admin_password}}
{{#user_password}}
static.security.user_password = user:{{user_password}}
{{/user_password}}
