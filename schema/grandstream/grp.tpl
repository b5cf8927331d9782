{{! cfg<mac>.xml of a GRP26xx (catalogue `format: grp`): <config version="2">
    with named items, the form and names wazo-provd-plugins sends these
    phones (wazo_grandstream common/templates/base_v2.tpl; keys from
    common.py _add_v2_fkeys: pks.vpk.<key>.account is the 0-based
    account, keyMode from maps.key_type_alt).  The GXP P-values of keys
    (P323, P301-P303) do not exist on GRP phones.  Provisioning and
    firmware servers stay in cfg<model>.xml and cfg.xml (P-values, which
    GRP phones read too).  No item for the outbound proxy is known in this
    form: docs/vendors/grandstream.md. }}
<?xml version="1.0" encoding="UTF-8"?>
<gs_provision version="1">
  <mac>{{phone.mac}}</mac>
  <config version="2">
{{#admin_password}}
    <item name="users.admin.password">{{admin_password}}</item>
{{/admin_password}}
{{#ntp_primary}}
    <item name="dateTime.ntp.server.1">{{ntp_primary}}</item>
{{/ntp_primary}}
{{#timezone}}
    <item name="dateTime.timezone">{{posix}}</item>
{{/timezone}}
{{#language_name}}
    <item name="language.gui">{{language_name}}</item>
{{/language_name}}
{{$accounts}}
{{#accounts}}
    <item name="account.{{line}}.enable">{{#enabled}}Yes{{/enabled}}{{^enabled}}No{{/enabled}}</item>
{{#label}}
    <item name="account.{{line}}.name">{{label}}</item>
{{/label}}
{{#server.host}}
    <item name="account.{{line}}.sip.server.1.address">{{server.host}}:{{server.port}}</item>
{{/server.host}}
{{#server.transport_alt}}
    <item name="account.{{line}}.sip.transport">{{server.transport_alt}}</item>
{{/server.transport_alt}}
{{#user}}
    <item name="account.{{line}}.sip.userid">{{user}}</item>
{{/user}}
{{#auth_user}}
    <item name="account.{{line}}.sip.subscriber.userid">{{auth_user}}</item>
{{/auth_user}}
{{#password}}
    <item name="account.{{line}}.sip.subscriber.password">{{password}}</item>
{{/password}}
{{#display_name}}
    <item name="account.{{line}}.sip.subscriber.name">{{display_name}}</item>
{{/display_name}}
{{#voicemail}}
    <item name="account.{{line}}.sip.voicemail.number">{{voicemail}}</item>
{{/voicemail}}
{{/accounts}}
{{/accounts}}
{{$keys}}
{{#line_keys}}
{{#type_alt}}
{{#line_map.account}}
    <item name="pks.vpk.{{key}}.account">{{line_map.account}}</item>
{{/line_map.account}}
    <item name="pks.vpk.{{key}}.keyMode">{{type_alt}}</item>
{{#label}}
    <item name="pks.vpk.{{key}}.description">{{label}}</item>
{{/label}}
{{#value}}
    <item name="pks.vpk.{{key}}.value">{{value}}</item>
{{/value}}
{{/type_alt}}
{{/line_keys}}
{{/keys}}
{{$extra}}
{{/extra}}
{{#params}}
    <item name="{{name}}">{{value}}</item>
{{/params}}
  </config>
</gs_provision>
