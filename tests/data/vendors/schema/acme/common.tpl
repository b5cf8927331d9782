<common ntp="{{ntp_primary}}" lang="{{language_name}}">{{#admin_password}}<leak>{{admin_password}}</leak>{{/admin_password}}{{#params}}<p n="{{name}}">{{value}}</p>{{/params}}</common>
