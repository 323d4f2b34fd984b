package dev.bulklinks.entity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An entity as stored, for reading. Writes go through {@link EntityRepository}, set-wise, so that a
 * single create and a bulk import follow one path.
 */
@Entity
@Table(name = "entity")
@IdClass(EntityRecord.Key.class)
@Immutable
public class EntityRecord extends PanacheEntityBase {

    @Id
    public String project;
    @Id
    public UUID id;
    public String type;
    public String name;
    public UUID parent;
    public long position;
    public String source;
    @Column(name = "source_id")
    public String sourceId;
    @JdbcTypeCode(SqlTypes.JSON)
    public ObjectNode data;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The primary key: ids are unique within a project. */
    public record Key(String project, UUID id) implements Serializable {
    }
}
