<?php
// Included by every endpoint of this small PHP API (`php -S 127.0.0.1:8000 -t api`).
function cors()
{
    // Echoes any Origin back, with cookies allowed: every website can call the API as the user.
    if (isset($_SERVER['HTTP_ORIGIN'])) {
        header("Access-Control-Allow-Origin: {$_SERVER['HTTP_ORIGIN']}");
        header('Access-Control-Allow-Credentials: true');
        header('Access-Control-Max-Age: 86400');
    }

    // The preflight answer lists no methods or headers: JSON PUTs and Authorization fail.
    if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
        http_response_code(204);
        exit(0);
    }
}

cors();
