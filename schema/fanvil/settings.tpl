{{! Modules shared by the model file and <mac>.cfg.  Names: Tancredi's
    fanvil-X5.tmpl (the text form of the XML names of wazo-provd-plugins'
    wazo_fanvil; docs/sources.md).  Flash Server IP takes deskprov's URL,
    the phone adds Flash File Name; Flash Mode 2 = check every Flash
    Interval hours.  Time Zone is in quarter hours (wazo-provd-plugins,
    wazo_fanvil serie_*/entry.py); DST Type 2 = manual rule, weekday 0 =
    Sunday, and "the last week of the month" is week -1, not 5
    (wazo-provd-plugins, wazo_fanvil common/common.py _extract_dst_change).
    Default Language: a number on older models (maps.language), a language
    code on the X-U/X-C/X210 generation (catalogue `language_text`,
    maps.language_text: the same common.py, _NEW_MODEL_REGEX and
    _NEW_SUPPORTED_LANGUAGES). }}
<AUTOUPDATE CONFIG MODULE>
{{#provisioning.url}}
Flash Server IP    :{{provisioning.url}}
Flash File Name    :$mac.cfg
{{/provisioning.url}}
{{#provisioning.interval_hours}}
Flash Mode         :2
Flash Interval     :{{provisioning.interval_hours}}
{{/provisioning.interval_hours}}
{{#firmware.offer}}
{{#firmware.url}}
Auto Image Url     :{{firmware.url}}
{{/firmware.url}}
{{/firmware.offer}}
<PHONE FEATURE MODULE>
{{#admin_password}}
Menu Password      :{{admin_password}}
{{/admin_password}}
{{#model_info.language_text}}
{{#language_text}}
Default Language   :{{language_text}}
{{/language_text}}
{{/model_info.language_text}}
{{^model_info.language_text}}
{{#language_name}}
Default Language   :{{language_name}}
{{/language_name}}
{{/model_info.language_text}}
{{#ntp_primary}}
Enable SNTP        :1
SNTP Server        :{{ntp_primary}}
{{/ntp_primary}}
{{#ntp_secondary}}
Second SNTP Server :{{ntp_secondary}}
{{/ntp_secondary}}
{{#timezone}}
Time Zone          :{{offset_quarters}}
{{#dst}}
DST Type           :2
DST Rule Mode      :0
DST Min Offset     :{{saving_minutes}}
DST Start Mon      :{{start.month}}
DST Start Week     :{{#start.last}}-1{{/start.last}}{{^start.last}}{{start.week}}{{/start.last}}
DST Start Wday     :{{start.weekday}}
DST Start Hour     :{{start.hour}}
DST End Mon        :{{end.month}}
DST End Week       :{{#end.last}}-1{{/end.last}}{{^end.last}}{{end.week}}{{/end.last}}
DST End Wday       :{{end.weekday}}
DST End Hour       :{{end.hour}}
{{/dst}}
{{^dst}}
DST Type           :0
{{/dst}}
{{/timezone}}
<MMI CONFIG MODULE>
{{#admin_password}}
Account1 Name      :admin
Account1 Password  :{{admin_password}}
Account1 Level     :10
{{/admin_password}}
{{#user_password}}
Account2 Name      :guest
Account2 Password  :{{user_password}}
Account2 Level     :5
{{/user_password}}
