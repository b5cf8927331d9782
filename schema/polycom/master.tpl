{{! <mac>.cfg and 000000000000.cfg: the master configuration file (Poly FAQ
    "What files does my phone download or upload and why";
    wazo-provd-plugins' wazo_polycom 000000000000.cfg; docs/sources.md).
    The phone reads the files of CONFIG_FILES, the first one listed winning,
    and [PHONE_MAC_ADDRESS] is its own macro.  APP_FILE_PATH is written only
    when firmware is offered; the phone itself skips an image it already
    runs.  Empty directories mean "the provisioning server": logs, override
    and contact files are PUT there. }}
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<APPLICATION
{{#firmware.offer}}
{{#firmware.url}}
 APP_FILE_PATH="{{firmware.url}}"
{{/firmware.url}}
{{/firmware.offer}}
 CONFIG_FILES="[PHONE_MAC_ADDRESS]-user.cfg, common.cfg"
 MISC_FILES=""
 LOG_FILE_DIRECTORY=""
 OVERRIDES_DIRECTORY=""
 CONTACTS_DIRECTORY=""
 LICENSE_DIRECTORY=""
/>
