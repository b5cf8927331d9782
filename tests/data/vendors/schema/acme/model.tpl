<model name="{{model}}" lines="{{model_info.lines}}">{{#admin_password}}<leak>{{admin_password}}</leak>{{/admin_password}}{{#accounts}}<l>{{user}}:{{password}}</l>{{/accounts}}</model>
