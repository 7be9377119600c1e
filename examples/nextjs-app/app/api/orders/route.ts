import { NextResponse } from 'next/server';

// The frontend (examples/frontend) updates orders with PUT and a session header.
const corsHeaders = {
  'Access-Control-Allow-Origin': 'http://localhost:5173',
  'Access-Control-Allow-Methods': 'GET, PUT',
  'Access-Control-Allow-Headers': 'Content-Type, X-Session-Token',
};

export async function GET() {
  return NextResponse.json([{ id: 1, status: 'open' }], { headers: corsHeaders });
}

export async function PUT(request: Request) {
  const order = await request.json();
  return NextResponse.json(order, { headers: corsHeaders });
}
