import { readerZone, zoneClock, type ZoneClock } from '../core/dates';
import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { RoomView } from '../../chat/chat-events';
import { CreateRoomDto, RoomSlugParams, UpdateRoomDto } from '../../chat/rooms/dto/room.dto';
import { type RoomRestriction, type RoomRow, roomView, RoomsService } from '../../chat/rooms/rooms.service';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { chrome, fromLocalField, MODERATION_REFUSALS, refusal, toLocalField } from './moderation-web';

export const APPROVAL_CHOICES = [
  { value: 'none', label: 'None: messages appear at once' },
  { value: 'new_members', label: 'New members: their first messages wait for a moderator' },
  { value: 'all', label: 'All: every message waits for a moderator' },
] as const;

/** What a room form holds, as typed (times as `datetime-local`, in the moderator's zone, which the form names). */
interface RoomForm {
  slug: string;
  name: string;
  description: string;
  kind: string;
  startsAt: string;
  endsAt: string;
  slowModeSeconds: string;
  approval: string;
}

const EMPTY_FORM: RoomForm = {
  slug: '',
  name: '',
  description: '',
  kind: 'open',
  startsAt: '',
  endsAt: '',
  slowModeSeconds: '0',
  approval: 'none',
};

/** The room form's labels, for its messages ("Name must be…"). */
const ROOM_LABELS: Record<string, string> = {
  slug: 'Address',
  name: 'Name',
  description: 'Description',
  kind: 'Kind',
  startsAt: 'The opening time',
  endsAt: 'The closing time',
  slowModeSeconds: 'Slow mode',
  approval: 'Approval',
};

const NEW_ROOM_FORM = {
  dto: CreateRoomDto,
  labels: ROOM_LABELS,
  typed: readForm,
  values: (form: RoomForm, body: unknown) => ({
    slug: form.slug,
    name: form.name,
    description: form.description.trim() || undefined,
    kind: form.kind,
    startsAt: fromLocalField(form.startsAt, formZone(body)),
    endsAt: fromLocalField(form.endsAt, formZone(body)),
    slowModeSeconds: numberOrText(form.slowModeSeconds),
    approval: form.approval || undefined,
  }),
};

/** Chat rooms as the API lets moderators run them: create one, change its name, description, times and pace. */
@WebController('mod/rooms')
@Roles('moderator')
export class RoomPagesController {
  constructor(private readonly rooms: RoomsService) {}

  @Get()
  @Page('moderation/rooms', { noindex: true })
  list(@CurrentUser() me: Principal) {
    return this.renderList(me, EMPTY_FORM);
  }

  @Post()
  @HttpCode(200)
  @Page('moderation/rooms', { noindex: true })
  async create(@Form(NEW_ROOM_FORM) form: Submitted<RoomForm, CreateRoomDto>, @CurrentUser() me: Principal) {
    return submit(
      form,
      async (input) => {
        const room = await this.rooms.create(me, input);
        return redirect('/mod/rooms#room-done', `The room “${room.name}” is open at /chat/${room.slug}.`);
      },
      (refused) => this.renderList(me, form.typed, { status: refused.status, problem: refused }),
      MODERATION_REFUSALS,
    );
  }

  @Get(':slug')
  @Page('moderation/room', { noindex: true })
  async edit(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    const { slug } = await validated(RoomSlugParams, { slug: params.slug });
    const row = await this.rooms.bySlug(slug);
    return this.renderEdit(me, roomView(row, new Date()), formOf(row, readerZone(me)));
  }

  @Post(':slug')
  @HttpCode(200)
  @Page('moderation/room', { noindex: true })
  async update(
    @Param() params: Record<string, string>,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const { slug } = await validated(RoomSlugParams, { slug: params.slug });
    const room = roomView(await this.rooms.bySlug(slug), new Date());
    const form = { ...readForm(body), slug: room.slug, kind: room.kind };
    try {
      const input = await validated(UpdateRoomDto, {
        name: form.name,
        description: form.description,
        slowModeSeconds: numberOrText(form.slowModeSeconds),
        approval: form.approval || undefined,
        ...(room.kind === 'session'
          ? {
              startsAt: fromLocalField(form.startsAt, formZone(body)),
              endsAt: fromLocalField(form.endsAt, formZone(body)),
            }
          : {}),
      });
      const changed = await this.rooms.update(me, slug, input);
      return redirect('/mod/rooms', `Saved the room “${changed.name}”.`);
    } catch (err) {
      const problem = refusal(err, ROOM_LABELS);
      return this.renderEdit(me, room, form, { status: problem.status, problem });
    }
  }

  private async renderList(me: Principal, form: RoomForm, outcome: { status?: number; problem?: FormRefusal } = {}) {
    const [rooms, restrictions] = await Promise.all([this.rooms.list(), this.rooms.restrictions()]);
    return view(
      'Chat rooms',
      {
        ...chrome('rooms', me),
        rooms: rooms.map((room) => ({ ...room, restrictions: restrictions.filter((r) => r.room === room.slug) })),
        form,
        error: outcome.problem?.message,
        problem: outcome.problem,
        approvals: APPROVAL_CHOICES,
      },
      { status: outcome.status ?? 200 },
    );
  }

  private async renderEdit(
    me: Principal,
    room: RoomView,
    form: RoomForm,
    outcome: { status?: number; problem?: FormRefusal } = {},
  ) {
    const restrictions: RoomRestriction[] = await this.rooms.restrictions(room.slug);
    return view(
      `Room: ${room.name}`,
      {
        ...chrome('rooms', me),
        room,
        restrictions,
        form,
        error: outcome.problem?.message,
        problem: outcome.problem,
        approvals: APPROVAL_CHOICES,
      },
      { status: outcome.status ?? 200 },
    );
  }
}

function readForm(body: unknown): RoomForm {
  return {
    slug: field(body, 'slug').trim(),
    name: field(body, 'name'),
    description: field(body, 'description'),
    kind: field(body, 'kind'),
    startsAt: field(body, 'startsAt'),
    endsAt: field(body, 'endsAt'),
    slowModeSeconds: field(body, 'slowModeSeconds'),
    approval: field(body, 'approval'),
  };
}

/** The zone the form's times were typed in: the one it was shown with (its hidden `zone`). */
const formZone = (body: unknown): ZoneClock => zoneClock(field(body, 'zone'));

function formOf(room: RoomRow, zone: ZoneClock): RoomForm {
  return {
    slug: room.slug,
    name: room.name,
    description: room.description,
    kind: room.kind,
    startsAt: toLocalField(room.startsAt?.toISOString(), zone),
    endsAt: toLocalField(room.endsAt?.toISOString(), zone),
    slowModeSeconds: String(room.slowModeSeconds),
    approval: room.approval,
  };
}

/** A whole number as typed becomes a number; anything else goes to the DTO as typed, to be refused by its rule. */
function numberOrText(value: string): number | string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  return /^-?\d{1,9}$/.test(v) ? Number(v) : v;
}
