/**
 * Folder roles and the permissions they grant, modelled on Orchestrator's folder
 * permissions: connections and triggers live in folders, and what you may do with them
 * depends on your role in that folder (inherited from the nearest ancestor you belong to).
 */
export const PERMISSIONS = [
  'Connections.View',
  'Connections.Create',
  'Connections.Edit',
  'Connections.Delete',
  'Triggers.View',
  'Triggers.Create',
  'Triggers.Edit',
  'Triggers.Delete',
  'Connectors.Publish',
  'Folders.Manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['Administrator', 'Editor', 'User', 'Viewer'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // Runs the folder: everything, including membership and publishing custom connectors.
  Administrator: PERMISSIONS,
  // Builds automations: manages connections and triggers, but not people or the catalog.
  Editor: [
    'Connections.View', 'Connections.Create', 'Connections.Edit', 'Connections.Delete',
    'Triggers.View', 'Triggers.Create', 'Triggers.Edit', 'Triggers.Delete',
  ],
  // Uses shared connections (an Automation User cannot create them) and manages triggers on them.
  User: ['Connections.View', 'Triggers.View', 'Triggers.Create', 'Triggers.Edit', 'Triggers.Delete'],
  // Read-only.
  Viewer: ['Connections.View', 'Triggers.View'],
};

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
