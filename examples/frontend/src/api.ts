import axios from 'axios';

// Vite frontend on http://localhost:5173; the APIs run on their default dev ports.
const DJANGO_API = import.meta.env.VITE_API_URL || 'http://localhost:8000';
const NEXT_API = 'http://localhost:3000';

const allauth = axios.create({ baseURL: `${DJANGO_API}/_allauth/browser/v1`, withCredentials: true });

/** allauth headless login: axios sends the JSON body with Content-Type: application/json. */
export function login(email: string, password: string) {
  return allauth.post('/auth/login', { email, password });
}

export async function updateOrder(id: number, status: string, token: string) {
  const response = await fetch(`${NEXT_API}/api/orders`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Session-Token': token },
    body: JSON.stringify({ id, status }),
  });
  return response.json();
}

export async function profile() {
  const response = await fetch(`${NEXT_API}/api/profile`, { credentials: 'include' });
  return response.json();
}
