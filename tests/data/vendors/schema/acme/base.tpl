{{! the per-phone file of the test pack }}
<acme mac="{{phone.mac}}" model="{{model}}">
{{#timezone}}
  <tz name="{{name}}" gmt="{{gmt}}">{{#dst}}<dst start="{{start.month}}/{{start.week}}/{{start.weekday}}"/>{{/dst}}</tz>
{{/timezone}}
{{#admin_password}}
  <admin>{{admin_password}}</admin>
{{/admin_password}}
{{#accounts}}
  <line n="{{line}}" p="{{line_map.p}}" t="{{server.transport_code}}">
    <name>{{display_name}}</name>
    <user>{{user}}</user>
    <auth>{{auth_user}}</auth>
    <pass>{{password}}</pass>
    <server>{{server.host}}:{{server.port}}</server>
  </line>
{{/accounts}}
{{$keys}}
{{>keys}}
{{/keys}}
{{#firmware.offer}}
  <fw>{{firmware.url}}</fw>
{{/firmware.offer}}
{{#params}}
  <param name="{{name}}">{{value}}</param>
{{/params}}
</acme>
