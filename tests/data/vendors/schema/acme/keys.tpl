{{#line_keys}}
  <key n="{{key}}" type="{{type_code}}" label="{{label}}">{{value}}@{{server_host}}</key>
{{/line_keys}}
