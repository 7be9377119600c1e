<?php
$origin = $_SERVER['HTTP_ORIGIN'] ?? '';

// Unanchored: https://partner.example.com.attacker.test matches too.
if (preg_match('/https:\/\/partner\.example\.com/', $origin)) {
    header('Access-Control-Allow-Origin: ' . $origin);
    header('Vary: Origin');
}

header('Content-Type: application/json');
echo json_encode(['partners' => []]);
