{{! The settings that are not one line's: shared by common.cfg and the
    phone's <mac>-user.cfg.  Each parameter is an attribute; the element
    names only group them.  Time: gmtOffset in seconds; DST dayOfWeek 1 =
    Sunday .. 7 = Saturday, date = the first day of the month the rule may
    fall on unless lastInMonth (wazo-provd-plugins,
    wazo_polycom/common/common.py); time is the hour.  Polling:
    prov.polling.period in seconds. }}
<tcpIpApp
{{#ntp_primary}}
 tcpIpApp.sntp.address="{{ntp_primary}}"
 tcpIpApp.sntp.address.overrideDHCP="1"
{{/ntp_primary}}
{{#timezone}}
 tcpIpApp.sntp.gmtOffset="{{offset_seconds}}"
 tcpIpApp.sntp.gmtOffset.overrideDHCP="1"
{{#dst}}
 tcpIpApp.sntp.daylightSavings.enable="1"
 tcpIpApp.sntp.daylightSavings.fixedDayEnable="0"
 tcpIpApp.sntp.daylightSavings.start.month="{{start.month}}"
 tcpIpApp.sntp.daylightSavings.start.dayOfWeek="{{start.weekday_sun1}}"
 tcpIpApp.sntp.daylightSavings.start.dayOfWeek.lastInMonth="{{#start.last}}1{{/start.last}}{{^start.last}}0{{/start.last}}"
{{^start.last}}
 tcpIpApp.sntp.daylightSavings.start.date="{{start.mday}}"
{{/start.last}}
 tcpIpApp.sntp.daylightSavings.start.time="{{start.hour}}"
 tcpIpApp.sntp.daylightSavings.stop.month="{{end.month}}"
 tcpIpApp.sntp.daylightSavings.stop.dayOfWeek="{{end.weekday_sun1}}"
 tcpIpApp.sntp.daylightSavings.stop.dayOfWeek.lastInMonth="{{#end.last}}1{{/end.last}}{{^end.last}}0{{/end.last}}"
{{^end.last}}
 tcpIpApp.sntp.daylightSavings.stop.date="{{end.mday}}"
{{/end.last}}
 tcpIpApp.sntp.daylightSavings.stop.time="{{end.hour}}"
{{/dst}}
{{^dst}}
 tcpIpApp.sntp.daylightSavings.enable="0"
{{/dst}}
{{/timezone}}
/>
{{#language_name}}
<lcl lcl.ml.lang="{{language_name}}"/>
{{/language_name}}
{{#provisioning.interval}}
<prov prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="{{provisioning.interval}}"/>
{{/provisioning.interval}}
