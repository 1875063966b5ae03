import { type ChatSocket, type ChatSocketData, socketRooms } from './chat-events';

/**
 * What the chat services may do with one client connection: know whose it is, and put it in or out of a room.
 * The gateway hands this over instead of the socket, so the rules stay in the services and Socket.IO in the gateway.
 */
export interface ChatConnection {
  /** The socket id (also a Socket.IO room holding just this socket). */
  readonly id: string;
  readonly member: ChatSocketData;
  inRoom(roomId: string): boolean;
  join(roomId: string): void;
  leave(roomId: string): void;
}

export function connectionOf(socket: ChatSocket): ChatConnection {
  return {
    id: socket.id,
    member: socket.data,
    inRoom: (roomId) => socket.rooms.has(socketRooms.room(roomId)),
    join: (roomId) => void socket.join(socketRooms.room(roomId)),
    leave: (roomId) => void socket.leave(socketRooms.room(roomId)),
  };
}
