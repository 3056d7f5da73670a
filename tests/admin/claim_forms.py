"""What the claim definition's change form posts, for the admin tests."""


def form_data(**overrides):
    """The form of a valid expression claim; an override of None leaves the field out."""
    data = {
        "name": "department",
        "description": "",
        "enabled": "on",
        "value_type": "expression",
        "value": "user.email",
        "group_filter": "",
        "group_limit": "100",
        "include_in_id_token": "on",
        "include_in_userinfo": "on",
        "scopes": "",
        "change_comment": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
