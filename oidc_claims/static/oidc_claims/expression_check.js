// Checks a claim's expression (or group regex) while the admin types, via the admin's
// check endpoint, and shows the error at its line and column before saving.
'use strict';
(function () {
    function init() {
        const field = document.querySelector('textarea[data-check-url]');
        if (!field) {
            return;
        }
        const output = document.getElementById(field.id + '_check');
        const valueType = document.getElementById('id_value_type');
        const groupFilter = document.getElementById('id_group_filter');
        const csrf = document.querySelector('input[name=csrfmiddlewaretoken]');
        let timer = null;

        function show(result) {
            if (!result) {
                return;
            }
            output.replaceChildren();
            const status = document.createElement('span');
            if (result.valid) {
                status.className = 'oidc-check-ok';
                status.textContent = result.message;
                output.append(status);
                return;
            }
            status.className = 'oidc-check-error';
            status.textContent = result.message;
            const pointer = document.createElement('pre');
            pointer.className = 'oidc-pointer';
            pointer.textContent = result.pointer;
            output.append(status, pointer);
        }

        function check() {
            const body = new URLSearchParams({
                value: field.value,
                value_type: valueType ? valueType.value : 'expression',
                group_filter: groupFilter ? groupFilter.value : '',
            });
            fetch(field.dataset.checkUrl, {
                method: 'POST',
                body: body,
                credentials: 'same-origin',
                headers: {'X-CSRFToken': csrf ? csrf.value : ''},
            }).then(function (response) {
                return response.ok ? response.json() : null;
            }).then(show).catch(function () {
                // The check is a convenience: saving validates again.
            });
        }

        function schedule() {
            clearTimeout(timer);
            timer = setTimeout(check, 400);
        }

        field.addEventListener('input', schedule);
        [valueType, groupFilter].forEach(function (select) {
            if (select) {
                select.addEventListener('change', schedule);
            }
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
})();
