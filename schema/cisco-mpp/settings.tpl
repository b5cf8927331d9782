{{! The settings that are not one line's: shared by cp-phone.xml and the
    phone's own file.  Time_Zone is GMT+hh:mm; the DST rule is
    start=<month>/<day>/<weekday>/<time>;end=...;save=<h:m:s> with weekday
    1 = Monday .. 7 = Sunday, day -1 = the last such weekday of the month
    and day n = the first one on or after the n-th (wazo-provd-plugins,
    wazo_cisco_sip/v12_0_7/common.py and wazo_cisco_spa, same profile).  save is the
    zone's own saving (1:0:0; 0:30:0 for Australia/Lord_Howe). }}
{{#provisioning.link}}
{{! Only in a bootstrap file (links.plain: bootstrap, docs/links.md):
    every later resync goes to the phone's personal link. }}
<Profile_Rule>{{provisioning.link}}$MA.xml</Profile_Rule>
{{/provisioning.link}}
<Resync_On_Reset>Yes</Resync_On_Reset>
<Resync_From_SIP>Yes</Resync_From_SIP>
{{#provisioning.interval}}
<Resync_Periodic>{{provisioning.interval}}</Resync_Periodic>
{{/provisioning.interval}}
{{#ntp_primary}}
<Primary_NTP_Server>{{ntp_primary}}</Primary_NTP_Server>
{{/ntp_primary}}
{{#ntp_secondary}}
<Secondary_NTP_Server>{{ntp_secondary}}</Secondary_NTP_Server>
{{/ntp_secondary}}
{{#timezone}}
<Time_Zone>{{gmt}}</Time_Zone>
{{#dst}}
<Daylight_Saving_Time_Enable>Yes</Daylight_Saving_Time_Enable>
<Daylight_Saving_Time_Rule>start={{start.month}}/{{start.mday}}/{{start.weekday_mon1}}/{{start.time}};end={{end.month}}/{{end.mday}}/{{end.weekday_mon1}}/{{end.time}};save={{saving_hms}}</Daylight_Saving_Time_Rule>
{{/dst}}
{{^dst}}
<Daylight_Saving_Time_Enable>No</Daylight_Saving_Time_Enable>
{{/dst}}
{{/timezone}}
{{#language_name}}
<Language_Selection>{{language_name}}</Language_Selection>
{{/language_name}}
