// On the claim form, the group filter and group limit apply to groups claims only: they are
// shown when "groups" is the value type, and hidden (values kept) for expressions.
'use strict';
(function () {
    function init() {
        const valueType = document.getElementById('id_value_type');
        const row = document.querySelector('.form-row.field-group_filter');
        if (!valueType || !row) {
            return;
        }
        function update() {
            // An inline style: the admin's CSS gives multi-field rows display: flex, which
            // outranks the hidden attribute.
            row.style.display = valueType.value === 'groups' ? '' : 'none';
        }
        valueType.addEventListener('change', update);
        update();
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
})();
