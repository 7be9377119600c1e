import { NextResponse, type NextRequest } from 'next/server';

const allowed = new Set(['http://localhost:5173', 'https://app.example.com']);

export async function GET(request: NextRequest) {
  const origin = request.headers.get('origin') ?? '';
  const headers = new Headers({ Vary: 'Origin' });
  if (allowed.has(origin)) headers.set('Access-Control-Allow-Origin', origin);
  return NextResponse.json({ name: 'Ada' }, { headers });
}
