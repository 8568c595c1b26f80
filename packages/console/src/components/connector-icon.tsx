/** Icons are decorative next to the connector's name, so they have empty alt text. */
export function ConnectorIcon({ icon, size = 24 }: { icon?: string | undefined; size?: number }) {
  if (!icon) return <span className="connector-icon placeholder" style={{ width: size, height: size }} aria-hidden="true" />;
  return <img className="connector-icon" src={icon} alt="" width={size} height={size} />;
}
