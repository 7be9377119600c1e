<?php

// Laravel's config/cors.php (HandleCors over fruitcake/php-cors; `php artisan serve` on :8000).
return [
    'paths' => ['api/*', 'sanctum/csrf-cookie'],

    'allowed_methods' => ['*'],

    // With supports_credentials, '*' makes php-cors echo every Origin back.
    'allowed_origins' => [env('FRONTEND_URL', '*')],

    // Unanchored: https://partner.example.com.attacker.test matches too.
    'allowed_origins_patterns' => ['/https:\/\/partner\.example\.com/'],

    'allowed_headers' => ['*'],

    'exposed_headers' => [],

    'max_age' => 0,

    'supports_credentials' => true,
];
