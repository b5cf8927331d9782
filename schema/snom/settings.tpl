{{! <phone-settings> lines shared by snom<model>.xml and <MAC>.xml (names
    from wazo-provd-plugins' wazo_snom/common templates and Tancredi's
    snom.tmpl; perm "R" per the Snom wiki's "<phone-settings> tag": the user
    cannot change them; setting_server "RW" as wazo-provd-plugins does).
    firmware_status names the phone's own firmware document in <MAC>.xml,
    the model's in snom<model>.xml.  DST: the dst setting's week-rule form,
    offset in seconds then month.week.weekday(Mon=1) and time for start and
    end (service.snom.com wiki "dst").  timezone: Snom's own zone code
    (maps.zones, Tancredi's snom.macros), written as well as utc_offset
    and dst so that a phone keeping its factory timezone setting is right
    too; only when a listed zone has the device's rules (vendor_zone). }}
{{#provisioning.url}}
    <setting_server perm="RW">{{provisioning.url}}</setting_server>
{{/provisioning.url}}
{{#provisioning.interval}}
    <settings_refresh_timer perm="R">{{provisioning.interval}}</settings_refresh_timer>
{{/provisioning.interval}}
{{#firmware.offer}}
{{#firmware.url}}
{{#provisioning.url}}
{{#phone.MAC}}
    <firmware_status perm="R">{{provisioning.url}}snom{{model}}-{{phone.MAC}}-firmware.xml</firmware_status>
{{/phone.MAC}}
{{^phone.MAC}}
    <firmware_status perm="R">{{provisioning.url}}snom{{model}}-firmware.xml</firmware_status>
{{/phone.MAC}}
    <update_policy perm="R">auto_update</update_policy>
{{/provisioning.url}}
{{/firmware.url}}
{{/firmware.offer}}
{{#ntp_primary}}
    <ntp_server perm="R">{{ntp_primary}}</ntp_server>
{{/ntp_primary}}
{{#vendor_zone.rules_match}}
    <timezone perm="R">{{vendor_zone.value}}</timezone>
{{/vendor_zone.rules_match}}
{{#timezone}}
    <utc_offset perm="R">{{offset_seconds}}</utc_offset>
{{#dst}}
    <dst perm="R">{{saving_seconds}} {{start.month}}.{{start.week}}.{{start.weekday_mon1}} {{start.time}} {{end.month}}.{{end.week}}.{{end.weekday_mon1}} {{end.time}}</dst>
{{/dst}}
{{^dst}}
    <dst perm="R"></dst>
{{/dst}}
{{/timezone}}
{{#language_name}}
    <language perm="R">{{language_name}}</language>
    <web_language perm="R">{{language_name}}</web_language>
{{/language_name}}
{{#admin_password}}
    <admin_mode_password perm="R">{{admin_password}}</admin_mode_password>
    <http_user perm="R">admin</http_user>
    <http_pass perm="R">{{admin_password}}</http_pass>
    <webserver_admin_name perm="R">admin</webserver_admin_name>
    <webserver_admin_password perm="R">{{admin_password}}</webserver_admin_password>
{{/admin_password}}
{{#user_password}}
    <webserver_user_name perm="R">user</webserver_user_name>
    <webserver_user_password perm="R">{{user_password}}</webserver_user_password>
{{/user_password}}
